import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `aigov admin create`, `aigov ask` and `aigov serve` run as a user would.
@Suite(.serialized) struct ServeCommandTests {
    static let eoFixture = CLI.root.appendingPathComponent(
        "fixtures/governance/us-eo-14179_removing-barriers-american-ai-leadership_2025-01-23.md")

    /// A data directory and a corpus folder holding the executive order fixture.
    static func workspace() throws -> (data: String, corpus: String) {
        let base = try CLI.temporaryDirectory()
        let corpus = base + "/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: eoFixture.path, toPath: corpus + "/" + eoFixture.lastPathComponent)
        return (base + "/var", corpus)
    }

    @Test func adminCreateReadsThePasswordFromStandardInput() async throws {
        let (data, _) = try Self.workspace()
        let created = try await Self.run(
            ["admin", "create", "--data-dir", data, "--username", "alice", "--password-stdin", "--json"],
            stdin: "a sufficiently long password\n")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains(#""role":"admin""#) && created.stdout.contains(#""username":"alice""#))
        let again = try await Self.run(
            ["admin", "create", "--data-dir", data, "--username", "ALICE", "--password-stdin"],
            stdin: "another long password\n")
        #expect(again.status == 1 && again.stderr.contains("taken"))
        let short = try await Self.run(
            ["admin", "create", "--data-dir", data, "--username", "bob", "--password-stdin", "--role", "viewer"],
            stdin: "short\n")
        #expect(short.status == 1 && short.stderr.contains("at least 12"))
        let noStdin = try await Self.run(["admin", "create", "--data-dir", data, "--username", "carol"])
        #expect(noStdin.status != 0 && noStdin.stderr.contains("--password-stdin"))
    }

    @Test func adminPasswdSetsAPasswordFromStandardInput() async throws {
        let (data, _) = try Self.workspace()
        let created = try await Self.run(
            ["admin", "create", "--data-dir", data, "--username", "alice", "--password-stdin"],
            stdin: "a sufficiently long password\n")
        #expect(created.status == 0, "\(created.stderr)")
        let short = try await Self.run(
            ["admin", "passwd", "--data-dir", data, "--username", "alice", "--password-stdin"], stdin: "short\n")
        #expect(short.status == 1 && short.stderr.contains("at least 12"))
        let nobody = try await Self.run(
            ["admin", "passwd", "--data-dir", data, "--username", "nobody", "--password-stdin"],
            stdin: "a new long password\n")
        #expect(nobody.status == 1 && nobody.stderr.contains("no user is named nobody"))
        let changed = try await Self.run(
            ["admin", "passwd", "--data-dir", data, "--username", "ALICE", "--password-stdin"],
            stdin: "a new long password\n")
        #expect(changed.status == 0 && changed.stderr.contains("password of alice changed"), "\(changed.stderr)")
        // The server signs alice in with the new password only.
        let server = try await ServerProcess.start(data: data)
        defer { server.stop() }
        let old = try await Self.post(
            server.base + "/api/auth/login", #"{"username": "alice", "password": "a sufficiently long password"}"#)
        #expect(old.0 == 401)
        let new = try await Self.post(
            server.base + "/api/auth/login", #"{"username": "alice", "password": "a new long password"}"#)
        #expect(new.0 == 200 && new.1["access_token"] is String)
    }

    @Test func productionRequiresASecretKey() async throws {
        let (data, _) = try Self.workspace()
        let result = try await Self.run(
            ["serve", "--data-dir", data], environment: ["ENVIRONMENT": "production", "SECRET_KEY": ""])
        #expect(result.status == 1 && result.stderr.contains("SECRET_KEY"))
    }

    @Test func askAnswersExtractivelyWithoutAModel() async throws {
        let (data, corpus) = try Self.workspace()
        let ingest = try await Self.run(["ingest", "--data-dir", data, corpus])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let result = try await Self.run(
            ["ask", "--data-dir", data, "--top-k", "3", "--json", "Which executive order is revoked?"],
            environment: ["GROQ_API_KEY": "", "GROQ_BASE_URL": ""])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["mode"] as? String == "extractive")
        #expect((object["citations"] as? [Any])?.count == 3)
        #expect((object["answer"] as? String)?.contains("14110") == true)
    }

    @Test func serveIngestsWhenEmptyServesAndStopsOnSIGTERM() async throws {
        let (data, corpus) = try Self.workspace()
        let created = try await Self.run(
            ["admin", "create", "--data-dir", data, "--username", "root", "--password-stdin"],
            stdin: "root password for the test\n")
        #expect(created.status == 0, "\(created.stderr)")
        let first = try await ServerProcess.start(data: data, extra: ["--ingest-if-empty", corpus])
        defer { first.stop() }
        let base = first.base
        let ready = try await Self.get(base + "/ready")
        #expect(ready.0 == 200 && ready.1["documents"] as? Int == 1)
        let answer = try await Self.post(
            base + "/api/search/query", #"{"question": "Which executive order is revoked?"}"#)
        #expect(answer.0 == 200 && answer.1["mode"] as? String == "extractive")
        let login = try await Self.post(
            base + "/api/auth/login", "username=root&password=root+password+for+the+test",
            contentType: "application/x-www-form-urlencoded")
        #expect(login.0 == 200 && login.1["token_type"] as? String == "bearer")

        #expect(try await first.interruptAndWait() == 0)
        let log = try first.log()
        #expect(log.contains("ingesting 1 files"))
        #expect(log.contains(#""message":"request""#) && log.contains(#""request_id":"#))
    }

    /// Without SECRET_KEY the server signs with a random key it keeps in the data directory (0600): tokens
    /// made with the constant that used to ship in the source are refused, and the key survives a restart.
    @Test func serveWithoutSecretKeyMakesAPrivateKeyFile() async throws {
        let (data, corpus) = try Self.workspace()
        let created = try await Self.run(
            ["admin", "create", "--data-dir", data, "--username", "admin", "--password-stdin"],
            stdin: "admin password for the test\n")
        #expect(created.status == 0, "\(created.stderr)")
        let first = try await ServerProcess.start(data: data, extra: ["--ingest-if-empty", corpus])
        defer { first.stop() }
        let keyFile = data + "/secret_key"
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let key = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.utf8.count >= 32 && key != ServerProcess.formerDevelopmentKey)

        let forged = ServerProcess.hs256Token(
            key: ServerProcess.formerDevelopmentKey,
            claims:
                #"{"sub":"admin","uid":1,"role":"admin","iss":"aigov","aud":"aigov-api","iat":\#(Int(Date().timeIntervalSince1970)),"exp":\#(Int(Date().timeIntervalSince1970) + 600)}"#
        )
        for uri in ["/api/auth/me", "/api/admin/documents"] {
            #expect(try await Self.get(first.base + uri, token: forged).0 == 401, "\(uri) accepted a forged token")
        }
        let login = try await Self.post(
            first.base + "/api/auth/login", #"{"username": "admin", "password": "admin password for the test"}"#)
        let token = try #require(login.1["access_token"] as? String)
        #expect(try await Self.get(first.base + "/api/auth/me", token: token).0 == 200)
        #expect(try await first.interruptAndWait() == 0)
        #expect(try first.log().contains("generated a random signing key"))

        let second = try await ServerProcess.start(data: data)
        defer { second.stop() }
        #expect(try await Self.get(second.base + "/api/auth/me", token: token).0 == 200)
        let again = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(again == key)
        #expect(try await second.interruptAndWait() == 0)
        #expect(try !second.log().contains("generated a random signing key"))
    }

    /// `CLI.run` on a Dispatch thread: it blocks until the child exits (seconds, for the password hashing and
    /// model loading), which on the cooperative pool would stall other suites' timers.
    /// The load benchmark runs end to end on a small corpus: a server child, wrk, and the contract's fields.
    /// Figures are not asserted (timing belongs to benchmarks), but every request must have succeeded.
    @Test func benchServeReportsEveryRunWithoutErrors() async throws {
        let (data, corpus) = try Self.workspace()
        let result = try await Self.run([
            "bench", "serve", "--data-dir", data, "--corpus", corpus, "--connections", "4,16", "--duration", "1",
            "--warmup", "0", "--threads", "2", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.map { $0["connections"] as? Int } == [4, 16])
        for run in runs {
            #expect((run["requests_per_second"] as? Double ?? 0) > 0)
            #expect(
                (run["p50_ms"] as? Double ?? -1) > 0
                    && (run["p99_ms"] as? Double ?? -1) >= (run["p50_ms"] as? Double ?? 0))
            #expect(run["errors"] as? Int == 0 && run["non_2xx"] as? Int == 0)
        }
        // The server batches question embeddings (on by default) and says so in /metrics, which the report reads.
        let batching = runs.compactMap { $0["query_embedding"] as? [String: Any] }
        #expect(
            !batching.isEmpty
                && batching.allSatisfy { ($0["passes"] as? Int ?? 0) >= 1 && ($0["mean"] as? Double ?? 0) >= 1 })
        // --uncached: every question embedded, and the encoder alone timed on questions of the same shape.
        let uncached = try await Self.run([
            "bench", "serve", "--data-dir", data, "--corpus", corpus, "--connections", "8", "--duration", "1",
            "--warmup", "0", "--threads", "1", "--uncached", "--json",
        ])
        #expect(uncached.status == 0, "\(uncached.stderr)")
        let measured = try #require(
            try JSONSerialization.jsonObject(with: Data(uncached.stdout.utf8)) as? [String: Any])
        let encoder = try #require(measured["encoder"] as? [String: Any])
        #expect((encoder["texts_per_second"] as? Double ?? 0) > 0 && (encoder["mean_tokens"] as? Double ?? 0) > 10)
        let share = (measured["runs"] as? [[String: Any]])?.first?["encoder_share"] as? Double
        #expect((share ?? 0) > 0, "\(measured)")
        let bad = try await Self.run(["bench", "serve", "--data-dir", data, "--connections", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--connections"))
    }

    /// `--upload-during`: each run uploads the file through the API as the benchmark's own admin, and the
    /// document is gone afterwards (its one word no other text has finds nothing).
    @Test func benchServeUploadsDuringEachRunAndDeletesTheDocumentAfter() async throws {
        let (data, corpus) = try Self.workspace()
        let upload = URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent("upload.md")
        try """
        # Model cards

        Section 1. The zanzibarian protocol asks every model card to list its training sources and results.

        """.write(to: upload, atomically: true, encoding: .utf8)
        let result = try await Self.run([
            "bench", "serve", "--data-dir", data, "--corpus", corpus, "--connections", "2,4", "--duration", "1",
            "--warmup", "0", "--upload-during", upload.path, "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["upload_during"] as? String == upload.path)
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.count == 2)
        for run in runs {
            let outcome = try #require(run["upload"] as? [String: Any])
            #expect(outcome["status"] as? Int == 201)
            #expect((outcome["seconds"] as? Double ?? -1) >= 0)
            #expect(run["errors"] as? Int == 0 && run["non_2xx"] as? Int == 0)
        }
        let search = try await Self.run([
            "search", "zanzibarian", "--mode", "lexical", "--data-dir", data, "--json",
        ])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.contains(#""results":[]"#), "\(search.stdout)")
        let missing = try await Self.run([
            "bench", "serve", "--data-dir", data, "--upload-during", upload.path + ".absent",
        ])
        #expect(missing.status != 0 && missing.stderr.contains("--upload-during"), "\(missing.stderr)")
    }

    static func run(
        _ arguments: [String], stdin: String = "", environment: [String: String] = [:]
    ) async throws -> CLI.Output {
        try await CLI.run(arguments, stdin: stdin, environment: environment)
    }

    static func get(_ url: String, token: String? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: url)!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return try await send(request)
    }

    static func post(_ url: String, _ body: String, contentType: String = "application/json") async throws -> (
        Int, [String: Any]
    ) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        return try await send(request)
    }

    static func send(_ request: URLRequest) async throws -> (Int, [String: Any]) {
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }
}
