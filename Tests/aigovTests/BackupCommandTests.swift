import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `aigov backup create|verify|restore` as an operator runs them (issue 18): a backup taken while `serve` ingests,
/// restored elsewhere to the same answers; damaged backups refused; a killed backup never mistaken for one.
@Suite struct BackupCommandTests {
    static func json(_ output: CLI.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    /// The chunk ids `aigov search` returns for each question, over `data`.
    static func answers(_ data: String, environment: [String: String] = [:]) async throws -> [[String]] {
        var all: [[String]] = []
        for question in [
            "Which executive order is revoked?", "What must the action plan contain?", "wombat registry report",
        ] {
            let result = try await CLI.run(
                ["search", question, "--data-dir", data, "--top-k", "5", "--json"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            let results = try #require(try json(result)["results"] as? [[String: Any]])
            all.append(results.compactMap { $0["chunk_id"] as? String })
        }
        return all
    }

    @Test func aBackupTakenWhileServingRestoresToTheSameAnswers() async throws {
        let (data, corpus) = try ServeCommandTests.workspace()
        let backups = try CLI.temporaryDirectory()
        let created = try await CLI.run(
            ["admin", "create", "--data-dir", data, "--username", "root", "--password-stdin"],
            stdin: "root password for the test\n")
        #expect(created.status == 0, "\(created.stderr)")
        let server = try await ServerProcess.start(data: data, extra: ["--ingest-if-empty", corpus])
        defer { server.stop() }
        let login = try await ServeCommandTests.post(
            server.base + "/api/auth/login", #"{"username": "root", "password": "root password for the test"}"#)
        let token = try #require(login.1["access_token"] as? String)

        // Documents ingested through the API while a backup is written.
        let uploads = Task {
            for number in 0..<6 {
                var request = URLRequest(url: URL(string: server.base + "/api/content/ingest")!)
                request.httpMethod = "POST"
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                request.httpBody = Data(
                    #"{"title": "Wombat rules \#(number)", "source": "test", "content": "Every wombat registry shall publish report \#(number) each year. The registry keeps its records for ten years."}"#
                        .utf8)
                let (status, _) = try await ServeCommandTests.send(request)
                #expect(status == 201)
            }
        }
        let during = try await CLI.run(["backup", "create", "--data-dir", data, "--to", backups, "--json"])
        try await uploads.value
        #expect(during.status == 0, "\(during.stderr)")
        let duringPath = try #require(try Self.json(during)["path"] as? String)
        let verified = try await CLI.run(["backup", "verify", duringPath, "--json"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect((try Self.json(during)["documents"] as? Int ?? 0) >= 1)

        // A second backup once the uploads are in, with the server still running; then the server stops.
        let after = try await CLI.run([
            "backup", "create", "--data-dir", data, "--to", backups, "--json", "--keep", "1",
        ])
        #expect(after.status == 0, "\(after.stderr)")
        let afterObject = try Self.json(after)
        let path = try #require(afterObject["path"] as? String)
        #expect(afterObject["documents"] as? Int == 7 && afterObject["originals_missing"] as? Int == 0)
        #expect(
            (afterObject["removed"] as? [String])?.count == 1 && !FileManager.default.fileExists(atPath: duringPath))
        #expect(try await server.interruptAndWait() == 0)

        // Restored into a new data directory: the index is rebuilt and verified, and search answers as before.
        let restored = try CLI.temporaryDirectory() + "/var"
        let restore = try await CLI.run(["backup", "restore", path, "--data-dir", restored, "--json"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try Self.json(restore)["ok"] as? Bool == true && (try Self.json(restore)["chunks"] as? Int ?? 0) > 7)
        #expect(try await CLI.run(["index", "verify", "--data-dir", restored]).status == 0)
        #expect(try await Self.answers(restored) == (try await Self.answers(data)))
        #expect(FileManager.default.fileExists(atPath: restored + "/originals"))

        // The original holds data: a restore over it is refused unless forced.
        let refused = try await CLI.run(["backup", "restore", path, "--data-dir", data])
        #expect(refused.status != 0 && refused.stderr.contains("target_not_empty"), "\(refused.stderr)")
        let forced = try await CLI.run(["backup", "restore", path, "--data-dir", data, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
    }

    @Test func aDamagedBackupIsRefused() async throws {
        let (data, corpus) = try ServeCommandTests.workspace()
        let ingested = try await CLI.run(["ingest", corpus, "--data-dir", data])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        let backups = try CLI.temporaryDirectory()
        let made = try await CLI.run(["backup", "create", "--data-dir", data, "--to", backups, "--json"])
        let path = try #require(try Self.json(made)["path"] as? String)
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + "/manifest.json")))
                as? [String: Any])
        let files = try #require(manifest["files"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        // One file of each kind, and the manifest itself.
        var victims = ["manifest.json", "store.sqlite"]
        victims += ["embeddings/", "originals/"].compactMap { kind in files.first { $0.hasPrefix(kind) } }
        #expect(victims.count == 4, "\(files)")
        for victim in victims {
            let copy = try CLI.temporaryDirectory() + "/backup"
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let file = URL(fileURLWithPath: copy + "/" + victim)
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: file)
            let verify = try await CLI.run(["backup", "verify", copy])
            #expect(verify.status != 0, "a flipped byte in \(victim) passed")
            #expect(verify.stderr.contains("damaged") || verify.stderr.contains("not_a_backup"), "\(verify.stderr)")
            let target = try CLI.temporaryDirectory() + "/var"
            let restore = try await CLI.run(["backup", "restore", copy, "--data-dir", target])
            #expect(restore.status != 0, "a flipped byte in \(victim) was restored")
            #expect(!FileManager.default.fileExists(atPath: target + "/aigov.sqlite"))
        }
        // A file the manifest does not list, and a folder that is not a backup at all.
        let extra = try CLI.temporaryDirectory() + "/backup"
        try FileManager.default.copyItem(atPath: path, toPath: extra)
        try Data("x".utf8).write(to: URL(fileURLWithPath: extra + "/originals/planted"))
        #expect(try await CLI.run(["backup", "verify", extra]).stderr.contains("not in the manifest"))
        #expect(try await CLI.run(["backup", "verify", data]).stderr.contains("not_a_backup"))
    }

    /// Originals are kept from ingest on; a document stored before they were (here: its original removed) gets it
    /// back when its unchanged file is ingested again, and a backup counts the ones still missing.
    @Test func originalsAreKeptAndFilledInByAReingest() async throws {
        let (data, corpus) = try ServeCommandTests.workspace()
        #expect(try await CLI.run(["ingest", corpus, "--data-dir", data]).status == 0)
        let originals = data + "/originals"
        let kept = try FileManager.default.contentsOfDirectory(atPath: originals)
        let fixture = try Data(contentsOf: ServeCommandTests.eoFixture)
        let stored = try Data(contentsOf: URL(fileURLWithPath: originals + "/" + (kept.first ?? "none")))
        #expect(kept.count == 1 && stored == fixture)
        try FileManager.default.removeItem(atPath: originals)
        let backups = try CLI.temporaryDirectory()
        let without = try await CLI.run(["backup", "create", "--data-dir", data, "--to", backups, "--json"])
        #expect(try Self.json(without)["originals_missing"] as? Int == 1)
        let again = try await CLI.run(["ingest", corpus, "--data-dir", data])
        #expect(again.status == 0 && again.stderr.contains("1 unchanged"), "\(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: originals) == kept)
        let with = try await CLI.run(["backup", "create", "--data-dir", data, "--to", backups, "--json"])
        #expect(try Self.json(with)["originals_missing"] as? Int == 0)
    }

    /// SIGKILL at random moments of `backup create`: every folder that looks like a backup verifies, and the
    /// next run clears the pieces of the killed ones.
    @Test func aKilledBackupLeavesAWholeBackupOrNone() async throws {
        let (data, corpus) = try ServeCommandTests.workspace()
        let ingested = try await CLI.run(["ingest", corpus, "--data-dir", data])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        // A large cache file, so that kills land while files are copied and hashed, not only at start-up.
        let ballast = URL(fileURLWithPath: data + "/embeddings/ballast-384.vec")
        try Data(repeating: 7, count: 64 << 20).write(to: ballast)
        let backups = try CLI.temporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            _ = try await CLI.runKilled(
                ["backup", "create", "--data-dir", data, "--to", backups],
                after: Double(Int.random(in: 20...900, using: &generator)) / 1_000)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: backups)
        for name in names where name.hasPrefix("aigov-backup-") {
            let verify = try await CLI.run(["backup", "verify", backups + "/" + name])
            #expect(verify.status == 0, "\(name): \(verify.stderr)")
        }
        let last = try await CLI.run(["backup", "create", "--data-dir", data, "--to", backups])
        #expect(last.status == 0, "\(last.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: backups)
        #expect(!left.contains { $0.hasSuffix(".partial") }, "\(left)")
    }
}

/// A backup of a PostgreSQL-backed data directory, taken while the server writes through the same database, restored
/// into SQLite and into another PostgreSQL database: both answer as the original.
@Suite(.enabled(if: TestPostgres.enabled, "needs AIGOV_TEST_DATABASE_URL (scripts/postgres-test-cluster)"))
struct PostgresBackupTests {
    @Test func aPostgresBackupRestoresIntoEitherEngine() async throws {
        try await TestPostgres.withDatabase { url in
            let (data, corpus) = try ServeCommandTests.workspace()
            let source = ["DATABASE_URL": url]
            let ingested = try await CLI.run(["ingest", corpus, "--data-dir", data], environment: source)
            #expect(ingested.status == 0, "\(ingested.stderr)")
            let created = try await CLI.run(
                ["admin", "create", "--data-dir", data, "--username", "root", "--password-stdin"],
                stdin: "root password for the test\n", environment: source)
            #expect(created.status == 0, "\(created.stderr)")
            let server = try await ServerProcess.start(
                data: data, environment: source.merging(["SECRET_KEY": UUID().uuidString + UUID().uuidString]) { $1 })
            defer { server.stop() }
            let login = try await ServeCommandTests.post(
                server.base + "/api/auth/login", #"{"username": "root", "password": "root password for the test"}"#)
            let token = try #require(login.1["access_token"] as? String)
            let upload = Task {
                var request = URLRequest(url: URL(string: server.base + "/api/content/ingest")!)
                request.httpMethod = "POST"
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                request.httpBody = Data(
                    #"{"title": "Wombat rules", "source": "test", "content": "Every wombat registry shall publish a yearly report."}"#
                        .utf8)
                return try await ServeCommandTests.send(request).0
            }
            let backups = try CLI.temporaryDirectory()
            let during = try await CLI.run(
                ["backup", "create", "--data-dir", data, "--to", backups, "--json"], environment: source)
            #expect(try await upload.value == 201)
            #expect(during.status == 0, "\(during.stderr)")
            #expect(try await server.interruptAndWait() == 0)
            let after = try await CLI.run(
                ["backup", "create", "--data-dir", data, "--to", backups, "--json"], environment: source)
            let object = try BackupCommandTests.json(after)
            #expect(object["source_engine"] as? String == "postgresql" && object["documents"] as? Int == 2)
            let path = try #require(object["path"] as? String)
            for backup in [path, try #require(try BackupCommandTests.json(during)["path"] as? String)] {
                #expect(try await CLI.run(["backup", "verify", backup]).status == 0)
            }
            let expected = try await BackupCommandTests.answers(data, environment: source)

            let intoSQLite = try CLI.temporaryDirectory() + "/var"
            let restored = try await CLI.run(["backup", "restore", path, "--data-dir", intoSQLite])
            #expect(restored.status == 0, "\(restored.stderr)")
            #expect(try await BackupCommandTests.answers(intoSQLite) == expected)

            try await TestPostgres.withDatabase { other in
                let target = ["DATABASE_URL": other]
                let intoPostgres = try CLI.temporaryDirectory() + "/var"
                let again = try await CLI.run(
                    ["backup", "restore", path, "--data-dir", intoPostgres], environment: target)
                #expect(again.status == 0, "\(again.stderr)")
                #expect(try await BackupCommandTests.answers(intoPostgres, environment: target) == expected)
            }
        }
    }
}
