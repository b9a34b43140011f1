import ArgumentParser
import AsyncHTTPClient
import Documents
import EmbedCache
import Foundation
import Knowledge

/// `aigov bench serve`: the HTTP API under load. Starts `aigov serve` (this binary) on a loopback port over a data
/// directory holding the bundled corpus, and drives `POST /api/search/retrieve` with `wrk` at each connection
/// count, cycling through distinct learner questions.
struct BenchServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "HTTP load benchmark: POST /api/search/retrieve driven by wrk at several connection counts.",
        discussion: """
            Example: aigov bench serve --connections 64,256,1024 --duration 10 --json

            The server is this binary's `serve`, started as a child process with the data directory's index (the \
            --corpus folder is ingested first when its store is empty) and RATE_LIMIT_PER_MINUTE raised so that \
            the limiter counts but never refuses. A short warm-up run precedes the measured ones, so the question \
            embeddings are cached as they would be on a server answering recurring questions; --uncached makes \
            every request's question unique, so each one is embedded. Other settings (SEARCH_CONCURRENCY, \
            QUERY_BATCH_SIZE, ...) pass through from the environment. Each run reports `query_embedding`: the \
            passes of the model over batched questions during it and the mean questions per pass, read from the \
            server's /metrics. With --uncached, the built-in encoder is then timed alone in this process on \
            questions shaped as the runs sent them (`encoder`), and each run's `encoder_share` is its requests/s \
            over that rate.

            --login-flood N runs a second wrk beside each measured run: N connections sending wrong-password logins \
            for ever-new account names, each from a new client address (X-Forwarded-For values in 198.18.0.0/15, \
            which the server trusts from loopback by default), so every attempt reaches a password hash: the \
            worst case for searches sharing the CPU. Its figures are reported as `login_flood` per run.

            --upload-during FILE uploads FILE beside each measured run, as an admin made for the benchmark \
            (`bench-upload-<random>`, left in the data directory), under a fresh document id deleted after the run: \
            the searches' latency while a large document (the AI Act PDF) is parsed, embedded and inserted into the \
            index. Each run reports the upload's `status` and `seconds` as `upload`; give --duration enough seconds \
            to cover the upload.

            Needs wrk (Debian package `wrk`).
            """)

    @OptionGroup var data: DataOptions

    @Option(help: "Comma-separated connection counts, one run each.")
    var connections: String = "64,256,1024"

    @Option(help: "Seconds per run.")
    var duration: Int = 10

    @Option(help: "Seconds of warm-up before the measured runs (0: none).")
    var warmup: Int = 3

    @Option(help: "wrk threads (at most the smallest connection count).")
    var threads: Int = 2

    @Option(help: "JSON Lines file whose `question` fields are sent, in turn.")
    var questions: String = "fixtures/questions/governance.jsonl"

    @Option(help: "Folder to ingest when the data directory's store is empty.")
    var corpus: String = "corpus"

    @Option(help: "top_k of each request.")
    var topK: Int = 5

    @Option(help: "Retrieval mode of each request: dense, lexical or hybrid.")
    var mode: String = "hybrid"

    @Option(help: "Port for the server (default: a free one).")
    var port: Int?

    @Option(help: "Model directory passed to the server.")
    var modelDir: String?

    @Option(help: "The aigov binary to serve with (default: this one), e.g. an older build for a before/after run.")
    var server: String?

    @Option(help: "Connections of a concurrent wrong-password login flood during each run (0: none).")
    var loginFlood: Int = 0

    @Option(help: "A document to upload (POST /api/content/upload) during each measured run, deleted after it.")
    var uploadDuring: String?

    @Flag(help: "Make every question unique (a counter appended), so no query embedding is cached.")
    var uncached = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        _ = try connectionCounts()
        guard (1...3600).contains(duration) else { throw ValidationError("--duration must be 1...3600 seconds") }
        guard (0...600).contains(warmup) else { throw ValidationError("--warmup must be 0...600 seconds") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard (1...50).contains(topK) else { throw ValidationError("--top-k must be 1...50") }
        guard ["dense", "lexical", "hybrid"].contains(mode) else {
            throw ValidationError("--mode must be dense, lexical or hybrid")
        }
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be 1...65535") }
        if let server, !FileManager.default.isExecutableFile(atPath: server) {
            throw ValidationError("--server \(server) is not an executable file")
        }
        guard (0...10_000).contains(loginFlood) else { throw ValidationError("--login-flood must be 0...10000") }
    }

    private func connectionCounts() throws -> [Int] {
        let counts = connections.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 100_000 }) else {
            throw ValidationError("--connections must be comma-separated counts between 1 and 100000")
        }
        return counts.compactMap { $0 }
    }

    func run() async throws {
        let wrk = try findExecutable("wrk")
        let counts = try connectionCounts()
        let texts = try loadQuestions()
        raiseOpenFileLimit()

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-bench-serve-\(UUID())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let script = work.appendingPathComponent("retrieve.lua")
        // Fresh per benchmark: the embedding cache persists in the data directory between benchmarks.
        let nonce = String(UUID().uuidString.prefix(8)).lowercased()
        try WrkScript.retrieve(questions: texts, topK: topK, mode: mode, unique: uncached)
            .write(to: script, atomically: true, encoding: .utf8)
        let floodScript = work.appendingPathComponent("login-flood.lua")
        try WrkScript.loginFlood().write(to: floodScript, atomically: true, encoding: .utf8)

        var uploadFile: URL?
        var admin: (username: String, password: String)?
        if let uploadDuring {
            let file = URL(fileURLWithPath: uploadDuring)
            guard FileManager.default.isReadableFile(atPath: file.path) else {
                throw CLIError("--upload-during: cannot read \(uploadDuring)")
            }
            uploadFile = file
            admin = try BenchUpload.createAdmin(dataDirectory: data.dataDirectory)
        }
        let port = try self.port ?? freeLoopbackPort()
        let server = try startServer(port: port)
        defer { server.stop() }
        try await server.waitUntilHealthy(timeout: .seconds(1800))
        let base = "http://127.0.0.1:\(port)"
        if !json { printError("server ready on \(base) (pid \(server.child.pid))") }
        var uploader: BenchUpload?
        if let admin, let uploadFile {
            uploader = try await BenchUpload.login(
                base: base, username: admin.username, password: admin.password, file: uploadFile)
        }

        if warmup > 0 {
            let warmConnections = min(counts.min() ?? 8, 64)
            if !json { printError("warm-up: \(warmup) s at \(warmConnections) connections") }
            _ = try WrkRun.run(
                wrk: wrk, script: script, url: base, connections: warmConnections,
                threads: min(threads, warmConnections), seconds: warmup, salt: nonce + "w")
        }
        var runs: [WrkRun] = []
        var floods: [WrkRun] = []
        var uploads: [BenchUpload.Outcome] = []
        var batching: [[String: Any]] = []
        for (index, count) in counts.enumerated() {
            let batchesBefore = await Self.queryBatches(base)
            let documentID = "bench-upload-\(nonce)-\(index)"
            let upload = uploader.map { uploader in
                Task.detached { try await uploader.upload(documentID: documentID) }
            }
            if !json { printError("run: \(count) connections for \(duration) s") }
            let (flooders, seconds) = (loginFlood, duration)
            let flood =
                flooders > 0
                ? Task.detached {
                    try WrkRun.run(
                        wrk: wrk, script: floodScript, url: base, connections: flooders, threads: 1, seconds: seconds,
                        salt: nonce + "f\(index)")
                } : nil
            let result = try WrkRun.run(
                wrk: wrk, script: script, url: base, connections: count, threads: min(threads, count),
                seconds: duration, salt: nonce + "r\(index)")
            runs.append(result)
            if !json { printError("  " + result.summaryLine) }
            if let before = batchesBefore, let after = await Self.queryBatches(base), after.batches > before.batches {
                let (passes, questions) = (after.batches - before.batches, after.texts - before.texts)
                batching.append(["passes": passes, "questions": questions, "mean": Double(questions) / Double(passes)])
                if !json {
                    printError(
                        String(
                            format: "  question embedding: %d passes, %.1f questions each", passes,
                            Double(questions) / Double(passes)))
                }
            } else {
                batching.append([:])
            }
            if let flood {
                let figures = try await flood.value
                floods.append(figures)
                if !json { printError("  login flood: " + figures.summaryLine) }
            }
            if let upload, let uploader {
                let outcome = try await upload.value
                uploads.append(outcome)
                if !json {
                    printError(String(format: "  upload: HTTP %d in %.1f s", outcome.status, outcome.seconds))
                }
                try await uploader.delete(documentID: documentID)
            }
        }
        let peakRSS = server.peakRSSMegabytes()
        var encoder: [String: Any]?
        if uncached {
            server.stop()  // the encoder is measured alone, on the cores the server had
            let perThread = (runs.map(\.requests).max() ?? 0) / max(1, threads)
            encoder = try encoderRate(questions: texts, salt: nonce + "r0", counters: max(1, perThread))
        }
        var report: [String: Any] = [
            "runs": zip(runs.indices, runs).map { index, run in
                var entry = run.dictionary
                if index < floods.count { entry["login_flood"] = floods[index].dictionary }
                if index < uploads.count { entry["upload"] = uploads[index].dictionary }
                if index < batching.count, !batching[index].isEmpty { entry["query_embedding"] = batching[index] }
                return entry
            },
            "login_flood_connections": loginFlood,
            "upload_during": uploadDuring.map { $0 as Any } ?? NSNull(),
            "endpoint": "POST /api/search/retrieve",
            "questions": texts.count,
            "uncached": uncached,
            "top_k": topK,
            "mode": mode,
            "duration_s": duration,
            "wrk_threads": threads,
            "server_peak_rss_mb": peakRSS.map { $0 as Any } ?? NSNull(),
            "cores": ProcessInfo.processInfo.activeProcessorCount,
        ]
        if let encoder, let rate = encoder["texts_per_second"] as? Double, rate > 0 {
            report["encoder"] = encoder
            report["runs"] = (report["runs"] as? [[String: Any]] ?? []).map { run in
                var run = run
                run["encoder_share"] = (run["requests_per_second"] as? Double ?? 0) / rate
                return run
            }
        }
        if json {
            try printJSON(report)
        } else {
            print("connections  req/s      p50 ms   p99 ms   errors  non-2xx")
            for run in runs { print(run.tableLine) }
            if let peakRSS { print("server peak RSS: \(peakRSS) MB") }
            if let rate = encoder?["texts_per_second"] as? Double {
                print(
                    String(
                        format:
                            "the encoder alone on such questions: %.1f texts/s (best run at %d connections: %.2f of it)",
                        rate, runs.max { $0.requestsPerSecond < $1.requestsPerSecond }?.connections ?? 0,
                        (runs.map(\.requestsPerSecond).max() ?? 0) / rate))
            }
        }
    }

    /// The built-in encoder alone, in this process, on texts shaped as the uncached runs send them (each question
    /// with a salt of the same length, a thread number and a counter up to `counters` appended, about 15 tokens
    /// more): the rate the server's batched question embedding is measured against. Batches of 32 on one thread
    /// per core; the best of 3 passes.
    private func encoderRate(questions: [String], salt: String, counters: Int) throws -> [String: Any] {
        let embedder: BertEmbedder
        do {
            embedder = try BertEmbedder(
                modelDirectory: ModelLocator.modelDirectory(explicit: modelDir),
                threads: ProcessInfo.processInfo.activeProcessorCount)
        } catch let error as EmbedError {
            throw CLIError(error.description)
        }
        let texts = (0..<max(questions.count, 512)).map { i in
            questions[i % questions.count] + " (\(salt)-\(i % max(1, threads))-\(counters - i % counters))"
        }
        _ = embedder.embedBlocking(Array(texts.prefix(32)))
        var best = Double.infinity
        for _ in 0..<3 {
            let start = monotonicSeconds()
            _ = embedder.embedBlocking(texts)
            best = min(best, monotonicSeconds() - start)
        }
        let tokens = embedder.tokenize(texts).reduce(0) { $0 + $1.count }
        return [
            "texts": texts.count, "mean_tokens": Double(tokens) / Double(texts.count),
            "texts_per_second": Double(texts.count) / best, "threads": embedder.threads,
        ]
    }

    /// The server's count of batched passes of the model over questions, and of the questions in them, from
    /// `/metrics`; nil when it does not batch (an older build, `QUERY_BATCH_SIZE=1`) or does not answer.
    private static func queryBatches(_ base: String) async -> (batches: Int, texts: Int)? {
        guard
            let response = try? await HTTPClient.shared.execute(
                HTTPClientRequest(url: base + "/metrics"), timeout: .seconds(10)),
            response.status.code == 200, let body = try? await response.body.collect(upTo: 4 << 20)
        else { return nil }
        var values: [String: Int] = [:]
        for line in String(buffer: body).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = Int(value) }
        }
        guard let batches = values["aigov_query_embedding_batches"],
            let texts = values["aigov_query_embedding_batch_texts"]
        else { return nil }
        return (batches, texts)
    }

    private func loadQuestions() throws -> [String] {
        guard let data = FileManager.default.contents(atPath: questions) else {
            throw CLIError("cannot read --questions \(questions) (run from the repository, or pass a JSON Lines file)")
        }
        var texts: [String] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any],
                let question = object["question"] as? String, !question.isEmpty
            else { throw CLIError("\(questions) line \(index + 1): expected an object with a string \"question\"") }
            texts.append(question)
        }
        guard !texts.isEmpty else { throw CLIError("\(questions) holds no questions") }
        return texts
    }

    private func startServer(port: Int) throws -> ServerProcess {
        var arguments = [
            "serve", "--data-dir", data.dataDirectory.path, "--host", "127.0.0.1", "--port", String(port),
            "--ingest-if-empty", corpus,
        ]
        if let modelDir { arguments += ["--model-dir", modelDir] }
        var environment = ProcessInfo.processInfo.environment
        // The limiter keeps counting (its cost is part of the measurement) but never refuses the one address.
        environment["RATE_LIMIT_PER_MINUTE"] = "1000000"
        environment["LOG_LEVEL"] = environment["LOG_LEVEL"] ?? "warning"
        return try ServerProcess.start(
            executable: server.map { URL(fileURLWithPath: $0) }, arguments: arguments, environment: environment,
            port: port)
    }
}

/// This `aigov` binary, which the benchmarks run as their servers and `admin create` unless told another.
let thisExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()

/// `aigov serve` as a child process of the benchmark.
final class ServerProcess {
    let child: ChildProcess.Child
    let port: Int

    private init(child: ChildProcess.Child, port: Int) {
        self.child = child
        self.port = port
    }

    /// Starts `aigov` (this binary unless `executable`) with `arguments`. Started and reaped through
    /// ``ChildProcess``, not Foundation's `Process`, whose wait once missed a child's exit (docs/ARCHITECTURE.md
    /// section 11); the benchmark runs inside the command-line tests.
    static func start(
        executable: URL? = nil, arguments: [String], environment: [String: String], port: Int
    ) throws -> ServerProcess {
        let program = executable ?? thisExecutable
        // Its output is our stderr: ingest progress and any start-up error show where the user looks.
        let child = try ChildProcess.start(
            [program.path] + arguments, environment: environment, stdout: .descriptor(2), stderr: .descriptor(2))
        return ServerProcess(child: child, port: port)
    }

    /// Polls `GET /health` until it answers 200; fails when the server exits first or `timeout` passes.
    func waitUntilHealthy(timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let ended = try child.poll() {
                throw CLIError("the server ended (\(ended)) before it was ready")
            }
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/health")
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)),
                response.status.code == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CLIError("the server was not ready after \(timeout)")
    }

    /// The server's peak resident memory (VmHWM) in MB, while it runs.
    func peakRSSMegabytes() -> Int? {
        guard
            let status = try? String(
                contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }

    /// SIGTERM (the server drains and checkpoints), then waits.
    func stop() {
        child.kill(SIGTERM)
        _ = try? child.wait()
    }
}

/// One wrk run and its figures.
struct WrkRun {
    var connections: Int
    var requests: Int
    var seconds: Double
    var p50Milliseconds: Double
    var p90Milliseconds: Double
    var p99Milliseconds: Double
    var maxMilliseconds: Double
    /// Socket-level failures: connect, read, write and timeouts.
    var errors: Int
    /// Responses with a status outside 200...399.
    var non2xx: Int

    var requestsPerSecond: Double { seconds > 0 ? Double(requests) / seconds : 0 }

    var dictionary: [String: Any] {
        [
            "connections": connections, "requests": requests,
            "requests_per_second": (requestsPerSecond * 10).rounded() / 10,
            "p50_ms": round2(p50Milliseconds), "p90_ms": round2(p90Milliseconds), "p99_ms": round2(p99Milliseconds),
            "max_ms": round2(maxMilliseconds), "errors": errors, "non_2xx": non2xx,
        ]
    }

    var summaryLine: String {
        String(
            format: "%.1f req/s, p50 %.2f ms, p99 %.2f ms, %d errors, %d non-2xx", requestsPerSecond, p50Milliseconds,
            p99Milliseconds, errors, non2xx)
    }

    var tableLine: String {
        String(
            format: "%11d  %9.1f  %7.2f  %7.2f  %6d  %7d", connections, requestsPerSecond, p50Milliseconds,
            p99Milliseconds, errors, non2xx)
    }

    private func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// Runs wrk and reads the line the script's `done` prints.
    /// `salt` goes into every question of a `unique` script, so no two runs (nor two benchmarks over the same
    /// persistent embedding cache) send the same text.
    static func run(
        wrk: String, script: URL, url: String, connections: Int, threads: Int, seconds: Int, salt: String = ""
    ) throws -> WrkRun {
        let output = Pipe()
        // wrk needs nothing from our environment, which may hold the server's secrets.
        let child = try ChildProcess.start(
            [
                wrk, "-t", String(threads), "-c", String(connections), "-d", "\(seconds)s", "--timeout", "10s", "-s",
                script.path, url, "--", salt,
            ], environment: ChildEnvironment.minimal, stdout: .descriptor(output.fileHandleForWriting.fileDescriptor),
            stderr: .descriptor(output.fileHandleForWriting.fileDescriptor))
        // The child's end is the child's: with ours closed, its exit ends our read.
        try? output.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let ended = try child.wait()
        let text = String(decoding: data, as: UTF8.self)
        guard ended == .exited(0),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(WrkScript.marker) }),
            let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(WrkScript.marker.count).utf8))
                as? [String: Double]
        else {
            throw CLIError("wrk failed (\(ended)): \(text.suffix(500))")
        }
        func value(_ key: String) -> Double { object[key] ?? 0 }
        return WrkRun(
            connections: connections, requests: Int(value("requests")), seconds: value("duration_us") / 1e6,
            p50Milliseconds: value("p50_us") / 1000, p90Milliseconds: value("p90_us") / 1000,
            p99Milliseconds: value("p99_us") / 1000, maxMilliseconds: value("max_us") / 1000,
            errors: Int(value("connect") + value("read") + value("write") + value("timeout")),
            non2xx: Int(value("status")))
    }
}

/// The wrk Lua script: the request bodies, and a `done` hook printing the summary as one JSON line.
enum WrkScript {
    static let marker = "AIGOV_WRK "

    /// What both scripts start with: JSON headers, a numbered `id` per wrk thread, the run's salt (the script's
    /// argument) and a request counter.
    static let threadPrologue = """
        local headers = {["Content-Type"] = "application/json"}
        local thread_count = 0
        local salt = ""

        function setup(thread)
          thread_count = thread_count + 1
          thread:set("id", thread_count)
        end

        function init(args)
          salt = args[1] or ""
        end

        local counter = 0

        """

    /// wrk's `done` hook: the run's summary as one JSON line after ``marker``.
    static let doneHook = """
        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format(
            '\(marker){"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
            '"timeout":%d,"p50_us":%.1f,"p90_us":%.1f,"p99_us":%.1f,"max_us":%.1f}\\n',
            summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
            latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
        end

        """

    /// Each wrk thread starts at a different question and takes the next one on every request. With `unique`,
    /// the run's salt (the script's argument), the thread id and a counter are appended to each question, so no
    /// two requests embed the same text, within a run or across runs.
    static func retrieve(questions: [String], topK: Int, mode: String, unique: Bool) throws -> String {
        var prefixes: [String] = []
        var suffixes: [String] = []
        for question in questions {
            // The body is split where the counter goes: prefix .. n .. suffix.
            let placeholder = "#COUNTER#"
            let body = try JSONSerialization.data(
                withJSONObject: [
                    "query": unique ? question + " (\(placeholder))" : question, "top_k": topK, "mode": mode,
                ] as [String: Any], options: [.sortedKeys])
            let text = String(decoding: body, as: UTF8.self)
            let parts = text.components(separatedBy: placeholder)
            prefixes.append(lua(parts[0]))
            suffixes.append(lua(parts.count > 1 ? parts[1] : ""))
        }
        return """
            local prefixes = {\(prefixes.joined(separator: ",\n"))}
            local suffixes = {\(suffixes.joined(separator: ",\n"))}
            local unique = \(unique ? "true" : "false")

            """ + threadPrologue + """
                function request()
                  counter = counter + 1
                  local index = ((counter + (id or 0) * 7) % #prefixes) + 1
                  local body = prefixes[index]
                  if unique then body = body .. salt .. "-" .. (id or 0) .. "-" .. counter .. suffixes[index] end
                  return wrk.format("POST", "/api/search/retrieve", headers, body)
                end


                """ + doneHook
    }

    /// Wrong-password logins, each for a new account name from a new client address (a header value in the
    /// benchmarking range 198.18.0.0/15; nothing connects to it), so neither the per-address rate limit nor the
    /// failure throttle spares the password hash.
    static func loginFlood() -> String {
        threadPrologue + """
            function request()
              counter = counter + 1
              local n = counter * 7919 + (id or 0) * 104729
              headers["X-Forwarded-For"] = string.format("198.%d.%d.%d", 18 + (n % 2), math.floor(n / 2) % 256,
                math.floor(n / 512) % 256)
              local body = '{"username": "flood-' .. salt .. '-' .. (id or 0) .. '-' .. counter ..
                '", "password": "not the password"}'
              return wrk.format("POST", "/api/auth/login", headers, body)
            end

            """ + doneHook
    }

    /// `text` as a double-quoted Lua string literal.
    private static func lua(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": literal += "\\\\"
            case "\"": literal += "\\\""
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }
}

/// The absolute path of `name` on PATH.
func findExecutable(_ name: String) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw CLIError("\(name) is not installed (Debian: apt-get install \(name))")
}

/// 1,024 connections need more descriptors than the usual soft limit of 1,024, in wrk and in the server alike;
/// both inherit this process's limit.
func raiseOpenFileLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

/// A loopback port nothing listens on now (the kernel's choice for port 0).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CLIError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw CLIError("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
