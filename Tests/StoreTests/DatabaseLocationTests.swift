import Foundation
import Store
import Testing

@Suite struct DatabaseLocationTests {
    let data = URL(fileURLWithPath: "/srv/aigov")

    @Test func unsetMeansSQLiteInTheDataDirectory() throws {
        #expect(try DatabaseLocation(databaseURL: nil, dataDirectory: data) == .sqlite(path: "/srv/aigov/aigov.sqlite"))
        #expect(
            try DatabaseLocation(databaseURL: "  ", dataDirectory: data) == .sqlite(path: "/srv/aigov/aigov.sqlite"))
        #expect(
            try DatabaseLocation(databaseURL: "sqlite:", dataDirectory: data)
                == .sqlite(path: "/srv/aigov/aigov.sqlite"))
    }

    @Test func sqliteURLForms() throws {
        #expect(
            try DatabaseLocation(databaseURL: "sqlite:///tmp/a.db", dataDirectory: data) == .sqlite(path: "/tmp/a.db"))
        #expect(
            try DatabaseLocation(databaseURL: "sqlite://rel/a.db", dataDirectory: data) == .sqlite(path: "rel/a.db"))
        #expect(try DatabaseLocation(databaseURL: "sqlite:b.db", dataDirectory: data) == .sqlite(path: "b.db"))
    }

    @Test func postgresURLs() throws {
        let url = "postgresql://aigov:secret@db.internal:5432/aigov?sslmode=require"
        #expect(try DatabaseLocation(databaseURL: url, dataDirectory: data) == .postgres(url: url))
        #expect(
            try DatabaseLocation(databaseURL: "postgres://h/db", dataDirectory: data)
                == .postgres(url: "postgres://h/db"))
    }

    @Test func badURLsNameTheProblemWithoutTheSecret() {
        do {
            _ = try DatabaseLocation(databaseURL: "mysql://root:hunter2@h/db", dataDirectory: data)
            Issue.record("mysql accepted")
        } catch let error as StoreError {
            #expect(error.code == .invalidDatabaseURL)
            #expect(error.message.contains("mysql"))
            #expect(!error.message.contains("hunter2"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: StoreError.self) { try DatabaseLocation(databaseURL: "postgresql://", dataDirectory: data) }
    }
}
