import Foundation
import Logging
import PostgresNIO
import Store
import Testing

/// A fresh database on the test server (`AIGOV_TEST_DATABASE_URL`, see scripts/postgres-test-cluster), dropped
/// after `body`. Like StoreTests' helper: CI sets AIGOV_REQUIRE_POSTGRES=1, so these tests run there.
enum TestPostgres {
    static var adminURL: String? {
        let value = ProcessInfo.processInfo.environment["AIGOV_TEST_DATABASE_URL"] ?? ""
        return value.isEmpty ? nil : value
    }
    static var enabled: Bool {
        adminURL != nil || ProcessInfo.processInfo.environment["AIGOV_REQUIRE_POSTGRES"] == "1"
    }

    struct Unavailable: Error {}

    static func admin(_ sql: String) async throws {
        guard let adminURL else { throw Unavailable() }
        let settings = try PostgresSettings(url: adminURL)
        let logger = Logger(label: "aigov.tests", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: settings.host, port: settings.port, username: settings.username, password: settings.password,
                database: settings.database, tls: .disable),
            id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        guard let adminURL, var components = URLComponents(string: adminURL) else { throw Unavailable() }
        let name = "aigov_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin("CREATE DATABASE \(name)")
        components.path = "/" + name
        do {
            let result = try await body(try #require(components.string))
            try? await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            return result
        } catch {
            try? await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
    }
}

@Suite(.enabled(if: TestPostgres.enabled, "needs AIGOV_TEST_DATABASE_URL (scripts/postgres-test-cluster)"))
struct DatabaseCopyTests {
    @Test func migrateTwiceOnPostgreSQL() async throws {
        try await TestPostgres.withDatabase { url in
            let password = try PostgresSettings(url: url).password ?? "\u{0}"
            let first = try await CLI.run(["db", "migrate", "--json"], environment: ["DATABASE_URL": url])
            #expect(first.status == 0, "\(first.stderr)")
            let report = try CLI.objects(first.stdout).first ?? [:]
            #expect(report["engine"] as? String == "postgresql")
            #expect(
                report["applied"] as? [Int] == [1, 2, 3, 4, 5, 6, 7, 8]
                    && report["versions"] as? [Int] == [1, 2, 3, 4, 5, 6, 7, 8])
            #expect(!first.stdout.contains(password) && !first.stderr.contains(password))

            let second = try await CLI.run(["db", "migrate", "--json"], environment: ["DATABASE_URL": url])
            #expect(second.status == 0, "\(second.stderr)")
            let again = try CLI.objects(second.stdout).first ?? [:]
            #expect(again["applied"] as? [Int] == [] && again["versions"] as? [Int] == [1, 2, 3, 4, 5, 6, 7, 8])
        }
    }

    @Test func copySQLiteToPostgresAndBackKeepsEveryRow() async throws {
        let data = try CLI.temporaryDirectory()
        let sourcePath = data + "/source.sqlite"
        let backPath = data + "/back.sqlite"
        let source = try await SQLiteStore.open(path: sourcePath)
        let chunks = (0..<5).map { ordinal in
            StoredChunk(
                chunkID: "ai-act:\(ordinal)", documentID: "ai-act", ordinal: ordinal,
                text: "Article \(ordinal) — « IA »",
                section: ordinal == 0 ? nil : "Article \(ordinal)", headingPath: ["Titre III", "Chapitre \(ordinal)"],
                pageStart: ordinal + 1, pageEnd: ordinal + 2, charStart: ordinal * 10, charEnd: ordinal * 10 + 9,
                tokenCount: 4, contentHash: "h\(ordinal)")
        }
        try await source.commitDocument(
            StoredDocument(
                id: "ai-act", title: "AI Act", source: "EUR-Lex", url: "https://example.org/ai-act", type: "pdf",
                contentHash: "doc", metadata: ["langue": "français"]),
            chunks: chunks, removedChunkIDs: [], outbox: true)
        _ = try await source.createUser(NewUser(username: "admin", passwordHash: "pbkdf2$secret", role: .admin))
        let job = try await source.createJob(kind: "ingest", payload: ["path": "/data/ai-act.pdf"])
        try await source.updateJob(id: job.id, status: .failed, error: "timeout")

        try await TestPostgres.withDatabase { url in
            let there = try await CLI.run(
                ["db", "copy", "--from", "sqlite://" + sourcePath, "--to", url, "--json", "--batch-size", "2"])
            #expect(there.status == 0, "\(there.stderr)")
            let counts = try CLI.objects(there.stdout).first ?? [:]
            #expect(counts["documents"] as? Int == 1 && counts["chunks"] as? Int == 5)
            #expect(counts["users"] as? Int == 1 && counts["jobs"] as? Int == 1 && counts["outbox"] as? Int == 5)
            #expect(there.stderr.contains("copied"))

            let refused = try await CLI.run(["db", "copy", "--from", "sqlite://" + sourcePath, "--to", url])
            #expect(refused.status == 1 && refused.stderr.contains("--force"), "\(refused.stderr)")
            let forced = try await CLI.run(["db", "copy", "--from", "sqlite://" + sourcePath, "--to", url, "--force"])
            #expect(forced.status == 0, "\(forced.stderr)")

            let back = try await CLI.run(["db", "copy", "--from", url, "--to", "sqlite://" + backPath, "--json"])
            #expect(back.status == 0, "\(back.stderr)")
        }
        let copy = try await SQLiteStore.open(path: backPath)
        #expect(try await copy.document(id: "ai-act") == (try await source.document(id: "ai-act")))
        #expect(try await copy.chunks(documentID: "ai-act") == chunks)
        #expect(try await copy.users() == (try await source.users()))
        #expect(try await copy.job(id: job.id) == (try await source.job(id: job.id)))
        #expect(try await copy.pendingOutbox(limit: 100) == (try await source.pendingOutbox(limit: 100)))
        try? FileManager.default.removeItem(atPath: data)
    }
}
