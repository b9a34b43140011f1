import AigovTestSupport
import Documents
import Foundation
import Testing

/// The `aigov` executable run as a user would: a child process with stdin, stdout, stderr and an exit code.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// SwiftPM builds the executable into the folder that holds the test bundle.
    static var executable: URL {
        let bundle = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0])
        return bundle.deletingLastPathComponent().appendingPathComponent("aigov")
    }

    struct Output: Sendable {
        let status: Int32
        let reason: Process.TerminationReason
        let stdout: String
        let stderr: String
    }

    /// Runs the executable and waits for it on a Dispatch thread outside the cooperative pool: that pool has one
    /// thread per core, and a test holding one for the minutes an ingest of the corpus takes stalled every
    /// in-process test on a 2-core machine (and, with a second blocked thread, the whole run).
    static func run(
        _ arguments: [String], stdin: String = "", environment: [String: String] = [:]
    ) async throws -> Output {
        try await inSlot { try runBlocking(arguments, stdin: stdin, environment: environment) }
    }

    /// Runs the executable as ``run(_:stdin:environment:)`` does, output discarded, and SIGKILLs it once `seconds`
    /// have passed (a crash at a random point), unless it ended before.
    static func runKilled(_ arguments: [String], after seconds: Double) async throws -> ChildProcess.Termination {
        try await inSlot {
            let deadline = Date().addingTimeInterval(seconds)
            return try ChildProcess.run(
                [executable.path] + arguments, environment: ProcessInfo.processInfo.environment,
                stop: { Date() >= deadline })
        }
    }

    /// `work`, which runs a child and blocks until it ends, off the cooperative pool while holding one of ``slots``.
    private static func inSlot<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        await slots.acquire()
        let result = await offThePool { Result { try work() } }
        await slots.release()
        return try result.get()
    }

    /// Children of `run` alive at once: one per core, as when each held a thread of the cooperative pool.
    /// More would crowd the cores that the in-process tests' timers and servers need.
    private static let slots = Slots(ProcessInfo.processInfo.activeProcessorCount)

    /// A counting semaphore for tasks: waiting suspends, never blocks a thread.
    private actor Slots {
        private var free: Int
        private var waiting: [CheckedContinuation<Void, Never>] = []

        init(_ count: Int) { free = max(1, count) }

        func acquire() async {
            if free > 0 {
                free -= 1
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func release() {
            if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
        }
    }

    private static func runBlocking(
        _ arguments: [String], stdin: String, environment: [String: String]
    ) throws -> Output {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        let output = dir.appendingPathComponent("out")
        let errors = dir.appendingPathComponent("err")
        try Data(stdin.utf8).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        // Spawned and reaped by ChildProcess, not Foundation's Process, whose waitUntilExit once missed a child's exit
        // and spun for good.
        let ended = try ChildProcess.run(
            [executable.path] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, stdin: input.path,
            stdout: output.path, stderr: errors.path, directory: root.path)
        let (status, reason): (Int32, Process.TerminationReason) =
            switch ended {
            case .exited(let code): (code, .exit)
            case .signaled(let signal): (signal, .uncaughtSignal)
            case .stopped: (SIGKILL, .uncaughtSignal)
            }
        return Output(
            status: status, reason: reason, stdout: try String(contentsOf: output, encoding: .utf8),
            stderr: try String(contentsOf: errors, encoding: .utf8))
    }

    static func fixtureLines(_ name: String) throws -> [String] {
        try String(contentsOf: root.appendingPathComponent("fixtures/minilm/\(name)"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    static func objects(_ jsonl: String) throws -> [[String: Any]] {
        try jsonl.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}

@Suite struct CommandLineTests {
    @Test func tokenizeGivesReferenceIDsInInputOrder() async throws {
        let lines = try CLI.fixtureLines("tokenizer_cases.jsonl")
        let result = try await CLI.run(["tokenize"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let got = try CLI.objects(result.stdout)
        let expected = try CLI.objects(lines.joined(separator: "\n"))
        #expect(got.count == 64)
        for (g, e) in zip(got, expected) {
            #expect(g["text"] as? String == e["text"] as? String)
            #expect(g["ids"] as? [Int] == e["ids"] as? [Int], "\(e["id"]!)")
            #expect(Set(g.keys) == ["text", "ids"])
        }
    }

    @Test func embedReproducesGoldenVectorsAndPassesOtherKeysThrough() async throws {
        let lines = try CLI.fixtureLines("embeddings.jsonl")
        let result = try await CLI.run(
            ["embed", "--no-cache", "--batch-size", "7", "--threads", "2"],
            stdin: lines.joined(separator: "\n"))
        #expect(result.status == 0, "\(result.stderr)")
        let got = try CLI.objects(result.stdout)
        let expected = try CLI.objects(lines.joined(separator: "\n"))
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) {
            #expect(g["id"] as? String == e["id"] as? String)
            #expect(g["source"] as? String == e["source"] as? String)
            let a = (g["embedding"] as? [Double]) ?? []
            let b = e["embedding"] as! [Double]
            #expect(a.count == 384)
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-4 }, "\(e["id"]!)")
        }
    }

    @Test func embedFillsThePersistentCacheAndWarmupFindsItFull() async throws {
        let data = try CLI.temporaryDirectory()
        let texts = ["What is a high-risk AI system?", "Who is a deployer?", "What is a high-risk AI system?"]
        let input = texts.map { "{\"text\": \"\($0)\"}" }.joined(separator: "\n")
        let first = try await CLI.run(["embed", "--data-dir", data], stdin: input)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try await CLI.run(["embed", "--data-dir", data], stdin: input)
        #expect(second.stdout == first.stdout)

        let file = URL(fileURLWithPath: data).appendingPathComponent("texts.jsonl")
        try Data((input + "\n{\"text\": \"A new question\"}\n").utf8).write(to: file)
        let warm = try await CLI.run(["warmup", "--data-dir", data, "--texts", file.path, "--json"])
        #expect(warm.status == 0, "\(warm.stderr)")
        let summary = try CLI.objects(warm.stdout).first
        #expect(summary?["already_cached"] as? Int == 3)
        #expect(summary?["embedded"] as? Int == 1)
        #expect(summary?["cache_entries"] as? Int == 3)
    }

    @Test func malformedInputIsAClearErrorNotACrash() async throws {
        for bad in ["{\"txt\": \"x\"}", "not json", "[1, 2]", "{\"text\": 5}"] {
            let result = try await CLI.run(["tokenize"], stdin: "{\"text\": \"fine\"}\n" + bad + "\n")
            #expect(result.reason == .exit && result.status == 1, "input \(bad)")
            #expect(result.stderr.contains("line 2"), "input \(bad): \(result.stderr)")
        }
    }

    /// `EMBEDDING_PRECISION=int8` from the environment, `--precision` over it, and a bad value named.
    @Test func embedInInt8StaysWithinTheGoldenVectorsAndRefusesABadPrecision() async throws {
        try await expectInt8WithinTheGoldenVectors(environment: ["EMBEDDING_PRECISION": "int8"])
        let bad = try await CLI.run(
            ["embed", "--no-cache"], stdin: "{\"text\": \"x\"}", environment: ["EMBEDDING_PRECISION": "int4"])
        #expect(bad.status == 1 && bad.stderr.contains("EMBEDDING_PRECISION=int4"), "\(bad.stderr)")
        let flag = try await CLI.run(
            ["embed", "--no-cache", "--precision", "half"], stdin: "{\"text\": \"x\"}",
            environment: ["EMBEDDING_PRECISION": "int8"])
        #expect(flag.status == 1 && flag.stderr.contains("--precision=half"), "\(flag.stderr)")
    }

    /// oneDNN held to kernels without VNNI (`ONEDNN_MAX_CPU_ISA`, as on a CPU that lacks it): AVX2's and AVX-512's
    /// `vpmaddubsw` add pairs of byte products in saturating 16-bit lanes, so the weights use 63 levels there. On a
    /// VNNI CPU the vectors must then differ from the unrestricted run's, or the restriction did not take.
    @Test(arguments: ["AVX2", "AVX512_CORE"])
    func embedInInt8OnKernelsWithoutVNNIStaysWithinTheGoldenVectors(isa: String) async throws {
        let restricted = try await expectInt8WithinTheGoldenVectors(environment: [
            "EMBEDDING_PRECISION": "int8", "ONEDNN_MAX_CPU_ISA": isa,
        ])
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if flags.contains("avx512_vnni") || flags.contains("avx_vnni") {
            let free = try await expectInt8WithinTheGoldenVectors(environment: ["EMBEDDING_PRECISION": "int8"])
            #expect(zip(restricted.joined(), free.joined()).contains { abs($0 - $1) > 1e-6 }, "\(isa) ignored")
        }
    }

    /// Runs `aigov embed` on the golden texts and checks each vector against the reference; returns the vectors.
    @discardableResult
    private func expectInt8WithinTheGoldenVectors(environment: [String: String]) async throws -> [[Double]] {
        let lines = try CLI.fixtureLines("embeddings.jsonl")
        let result = try await CLI.run(
            ["embed", "--no-cache"], stdin: lines.joined(separator: "\n"), environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let got = try CLI.objects(result.stdout)
        let expected = try CLI.objects(lines.joined(separator: "\n"))
        #expect(got.count == expected.count)
        var moved = false
        var vectors: [[Double]] = []
        for (g, e) in zip(got, expected) {
            let a = (g["embedding"] as? [Double]) ?? []
            let b = e["embedding"] as! [Double]
            let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            let norms = (a.reduce(0) { $0 + $1 * $1 } * b.reduce(0) { $0 + $1 * $1 }).squareRoot()
            #expect(a.count == 384 && dot / max(norms, 1e-12) >= 0.995, "\(e["id"]!) \(environment)")
            moved = moved || zip(a, b).contains { abs($0 - $1) > 1e-4 }
            vectors.append(a)
        }
        #expect(moved, "int8 gave float32's vectors")
        return vectors
    }

    @Test func missingModelIsNamedInTheError() async throws {
        let result = try await CLI.run(
            ["embed", "--no-cache", "--model-dir", "/nonexistent/minilm"], stdin: "{\"text\": \"x\"}")
        #expect(result.reason == .exit && result.status == 1)
        #expect(result.stderr.contains("/nonexistent/minilm"))
    }

    @Test func benchEmbedPrintsTheContractFields() async throws {
        let data = try CLI.temporaryDirectory()
        let file = URL(fileURLWithPath: data).appendingPathComponent("bench.jsonl")
        try Data(CLI.fixtureLines("embeddings.jsonl").prefix(10).joined(separator: "\n").utf8).write(to: file)
        let result = try await CLI.run(["bench", "embed", "--texts", file.path, "--threads", "2", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try CLI.objects(result.stdout).first ?? [:]
        for key in [
            "texts", "tokens", "seconds", "texts_per_second", "tokens_per_second", "peak_rss_bytes",
            "batch_size", "threads",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["texts"] as? Int == 10 && object["threads"] as? Int == 2)
    }

    /// The crawl benchmark's second pass over an unchanged site is a run of 304s that embeds nothing; the first
    /// embeds every page.
    @Test func benchCrawlRecrawlsAnUnchangedSiteWithoutEmbedding() async throws {
        let result = try await CLI.run(["bench", "crawl", "--pages", "4", "--threads", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try CLI.objects(result.stdout).first ?? [:]
        let passes = try #require(object["passes"] as? [[String: Any]])
        #expect(passes.map { $0["pass"] as? String } == ["cold", "unchanged"])
        #expect(passes[0]["documents_added"] as? Int == 5 && (passes[0]["texts_embedded"] as? Int ?? 0) >= 5)
        #expect(passes[1]["pages_not_modified"] as? Int == 4 && passes[1]["texts_embedded"] as? Int == 0)
        #expect(passes[1]["requests"] as? Int == 5 && passes[1]["chunks_embedded"] as? Int == 0)
    }
}
