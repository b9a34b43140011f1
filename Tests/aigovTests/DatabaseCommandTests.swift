import Foundation
import Testing

@Suite struct DatabaseCommandTests {
    @Test func migrateCreatesTheSchemaOnceAndIsIdempotent() async throws {
        let data = try CLI.temporaryDirectory()
        let first = try await CLI.run(
            ["db", "migrate", "--data-dir", data, "--json"], environment: ["DATABASE_URL": ""])
        #expect(first.status == 0, "\(first.stderr)")
        let report = try CLI.objects(first.stdout).first ?? [:]
        let versions = report["versions"] as? [Int] ?? []
        #expect(!versions.isEmpty && report["applied"] as? [Int] == versions)
        #expect(report["path"] as? String == data + "/aigov.sqlite")
        #expect(FileManager.default.fileExists(atPath: data + "/aigov.sqlite"))

        let second = try await CLI.run(
            ["db", "migrate", "--data-dir", data, "--json"], environment: ["DATABASE_URL": ""])
        let again = try CLI.objects(second.stdout).first ?? [:]
        #expect(again["applied"] as? [Int] == [] && again["versions"] as? [Int] == versions)
    }

    @Test func databaseURLIsHonouredAndBadOnesAreClearErrors() async throws {
        let data = try CLI.temporaryDirectory()
        let file = data + "/elsewhere.db"
        let custom = try await CLI.run(["db", "migrate", "--json"], environment: ["DATABASE_URL": "sqlite://" + file])
        #expect(custom.status == 0, "\(custom.stderr)")
        #expect(FileManager.default.fileExists(atPath: file))

        let mysql = try await CLI.run(
            ["db", "migrate"], environment: ["DATABASE_URL": "mysql://root:hunter2@db/aigov"])
        #expect(mysql.reason == .exit && mysql.status == 1)
        #expect(mysql.stderr.contains("mysql") && !mysql.stderr.contains("hunter2"))

        let postgres = try await CLI.run(
            ["db", "migrate"], environment: ["DATABASE_URL": "postgresql://u:pw@db/aigov"])
        #expect(postgres.reason == .exit && postgres.status == 1 && postgres.stderr.contains("PostgreSQL"))
        #expect(!postgres.stderr.contains("pw@"))
    }

    @Test func aFileThatIsNotADatabaseIsRefused() async throws {
        let data = try CLI.temporaryDirectory()
        try Data("not a database".utf8 + Data(count: 4096)).write(to: URL(fileURLWithPath: data + "/aigov.sqlite"))
        let result = try await CLI.run(["db", "migrate", "--data-dir", data], environment: ["DATABASE_URL": ""])
        #expect(result.reason == .exit && result.status == 1)
        #expect(result.stderr.contains("corrupt") || result.stderr.contains("not a database"), "\(result.stderr)")
    }
}
