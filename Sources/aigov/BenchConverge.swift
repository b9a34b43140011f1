import ArgumentParser
import AsyncHTTPClient
import ConcurrencySupport
import Foundation
import NIOCore

/// `aigov bench converge`: how long after an upload through one replica it is searchable through another. Starts
/// two `aigov serve` replicas (each its own data directory) over one store, uploads small documents through the
/// first, each with a word no other text has, and times until a lexical search on the second finds it.
struct BenchConverge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "converge",
        abstract: "Time until an upload through one replica is searchable through another.",
        discussion: """
            The store is $DATABASE_URL when set (a PostgreSQL server, as replicas are deployed), else one SQLite \
            file both replicas open. Each upload is a small Markdown document carrying a unique word; the time \
            counted runs from the upload's reply to the first search on the other replica that returns it, polled \
            every 10 ms. Each upload waits a random 0-1 s first. The probe documents are deleted afterwards. The replicas get a minimal environment: \
            PATH, HOME, DATABASE_URL, a fresh SECRET_KEY, FEED_POLL_INTERVAL_MS when set, LOG_LEVEL.
            """)

    @Option(help: "Uploads to time.")
    var uploads = 100

    @Option(help: "Seconds to wait for one upload to appear before counting it as not converged.")
    var timeout = 30

    @Option(help: "The aigov binary to serve with (default: this one), e.g. an older build for a before run.")
    var server: String?

    @Option(help: "Model directory passed to the replicas.")
    var modelDir: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard (1...10_000).contains(uploads) else { throw ValidationError("--uploads must be 1...10000") }
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be 1...3600 seconds") }
        if let server, !FileManager.default.isExecutableFile(atPath: server) {
            throw ValidationError("--server \(server) is not an executable file")
        }
    }

    func run() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-bench-converge-\(UUID())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let parent = ProcessInfo.processInfo.environment
        var environment = parent.filter { ["PATH", "HOME", "FEED_POLL_INTERVAL_MS", "LOG_LEVEL"].contains($0.key) }
        environment["DATABASE_URL"] =
            parent["DATABASE_URL"] ?? "sqlite://" + work.appendingPathComponent("shared.sqlite").path
        environment["SECRET_KEY"] = UUID().uuidString + UUID().uuidString
        environment["LOG_LEVEL"] = environment["LOG_LEVEL"] ?? "warning"
        environment["RATE_LIMIT_PER_MINUTE"] = "1000000"
        let directories = ["a", "b"].map { work.appendingPathComponent($0) }
        let admin = try BenchUpload.createAdmin(
            dataDirectory: directories[0], prefix: "bench-converge-",
            executable: server.map { URL(fileURLWithPath: $0) },
            environment: environment)

        var replicas: [ServerProcess] = []
        defer { for replica in replicas { replica.stop() } }
        for directory in directories {
            let port = try freeLoopbackPort()
            var arguments = ["serve", "--data-dir", directory.path, "--host", "127.0.0.1", "--port", String(port)]
            if let modelDir { arguments += ["--model-dir", modelDir] }
            replicas.append(
                try ServerProcess.start(
                    executable: server.map { URL(fileURLWithPath: $0) }, arguments: arguments,
                    environment: environment, port: port))
        }
        for replica in replicas { try await replica.waitUntilHealthy(timeout: .seconds(600)) }
        let writer = "http://127.0.0.1:\(replicas[0].port)"
        let reader = "http://127.0.0.1:\(replicas[1].port)"
        let probe = work.appendingPathComponent("probe.md")
        let uploader = try await BenchUpload.login(
            base: writer, username: admin.username, password: admin.password, file: probe)
        if !json { printError("replicas ready: \(writer) (uploads), \(reader) (searches)") }

        var seconds: [Double] = []
        var uploadSeconds: [Double] = []
        var missed = 0
        var documentIDs: [String] = []
        let clock = ContinuousClock()
        for number in 0..<uploads {
            // A random pause first, so uploads land at every phase of the replicas' poll cycle rather than just
            // after the poll that found the previous one.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<1000)))
            let word = "convergeprobe" + String(UUID().uuidString.filter(\.isLetter).prefix(12)).lowercased()
            let documentID = "converge-probe-\(number)-\(word)"
            try "# Probe \(number)\n\nA convergence probe carrying the word \(word), uploaded through one replica.\n"
                .write(to: probe, atomically: true, encoding: .utf8)
            let outcome = try await uploader.upload(documentID: documentID)
            guard outcome.status == 200 || outcome.status == 201 else {
                throw CLIError("upload \(number) failed with HTTP \(outcome.status)")
            }
            documentIDs.append(documentID)
            uploadSeconds.append(outcome.seconds)
            let acknowledged = clock.now
            var found = false
            while clock.now - acknowledged < .seconds(timeout) {
                if try await finds(word, documentID: documentID, at: reader) {
                    found = true
                    break
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            let elapsed = clock.now - acknowledged
            if found {
                seconds.append(elapsed.timeInterval)
            } else {
                missed += 1
            }
            if !json && (number + 1) % 10 == 0 { printError("\(number + 1) of \(uploads) uploads timed") }
        }
        for documentID in documentIDs { try await uploader.delete(documentID: documentID) }

        let sorted = seconds.sorted()
        func percentile(_ p: Double) -> Any {
            guard !sorted.isEmpty else { return NSNull() }
            let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return (sorted[min(max(rank, 0), sorted.count - 1)] * 1000).rounded() / 1000
        }
        let report: [String: Any] = [
            "uploads": uploads,
            "converged": sorted.count,
            "not_converged_within_timeout": missed,
            "timeout_s": timeout,
            "store": environment["DATABASE_URL"]?.hasPrefix("postgres") == true ? "postgresql" : "sqlite",
            "feed_poll_interval_ms": environment["FEED_POLL_INTERVAL_MS"] ?? "default",
            "convergence_s": [
                "p50": percentile(0.5), "p90": percentile(0.9), "p99": percentile(0.99),
                "max": sorted.last.map { ($0 * 1000).rounded() / 1000 as Any } ?? NSNull(),
            ],
            "upload_s_p50": uploadSeconds.sorted()[uploadSeconds.count / 2],
            "cores": ProcessInfo.processInfo.activeProcessorCount,
        ]
        if json {
            try printJSON(report)
        } else {
            let figures = report["convergence_s"] as? [String: Any] ?? [:]
            print(
                "converged \(sorted.count) of \(uploads) (timeout \(timeout) s); seconds after the upload's reply: "
                    + "p50 \(figures["p50"] ?? "-") p90 \(figures["p90"] ?? "-") p99 \(figures["p99"] ?? "-") "
                    + "max \(figures["max"] ?? "-")")
        }
    }

    /// Whether a lexical search for `word` on `base` returns `documentID` first.
    private func finds(_ word: String, documentID: String, at base: String) async throws -> Bool {
        var request = HTTPClientRequest(url: base + "/api/search/retrieve")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try JSONSerialization.data(withJSONObject: ["query": word, "top_k": 1, "mode": "lexical"])
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == 200,
            let object = try JSONSerialization.jsonObject(with: Data(buffer: data)) as? [String: Any],
            let results = object["results"] as? [[String: Any]]
        else { return false }
        return results.first?["document_id"] as? String == documentID
    }
}
