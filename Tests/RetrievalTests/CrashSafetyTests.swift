import Documents
import Foundation
import Retrieval
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kills a writer process (SIGKILL) at named points of the write path and checks that the reopened index
/// holds exactly the acknowledged writes: nothing acknowledged lost, nothing corrupt, and the one write in
/// flight at the kill either wholly present or wholly absent.
///
/// The child is the `retrieval-crash-writer` executable (Tests/Support/RetrievalCrashWriter), which SwiftPM
/// builds next to the test bundle. Run alone with:
///   swift test --scratch-path .build-retrieval --filter RetrievalTests.CrashSafetyTests
@Suite struct CrashSafetyTests {
    /// Mirrors the child's script (`vector(seed:)` and the operation schedule in main.swift).
    static func vector(seed: Int) -> [Float] { (0..<8).map { Float(sin(Double(seed * 8 + $0) * 0.7)) + 0.01 } }

    /// The records (id -> vector seed, text) after applying the child's operation `n` to `state`.
    static func apply(_ n: Int, to state: inout [String: (seed: Int, text: String)]) {
        if n % 4 == 3 { return }  // checkpoint: no change in content
        if n % 5 == 4 {
            state["r\((n * 3) % 10)"] = nil
            return
        }
        state["r\(n % 10)"] = (n, "text \(n)")
        if n % 3 == 0 { state["r\((n + 5) % 10)"] = (n + 1000, "text b\(n)") }
    }

    static var writerPath: String? {
        if let path = ProcessInfo.processInfo.environment["RETRIEVAL_CRASH_WRITER"] { return path }
        // SwiftPM puts executables and the test bundle in the same build folder; on Linux the bundle is
        // itself the running executable.
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return nil
        }
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("retrieval-crash-writer").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    struct ChildRun {
        var acknowledged: [Int] = []
        var inFlight: Int?
        var stoppedAt: String?
        var finished = false
    }

    /// Runs the child until it stops at the `occurrence`-th `point` (then SIGKILLs it) or finishes.
    static func runChild(directory: String, point: String, occurrence: Int, operations: Int) throws -> ChildRun {
        let path = try #require(writerPath, "retrieval-crash-writer not found next to the test bundle")
        let pipe = Pipe()
        // Started and reaped by ChildProcess, not Foundation's Process, whose wait once missed a child's exit in CI.
        let child = try ChildProcess.start(
            [path, directory, point, String(occurrence), String(operations)],
            environment: ProcessInfo.processInfo.environment,
            stdout: .descriptor(pipe.fileHandleForWriting.fileDescriptor), stderr: .descriptor(2))
        try pipe.fileHandleForWriting.close()
        // A watchdog, so that a child stuck anywhere else cannot hang the suite.
        let watchdog = DispatchWorkItem { child.kill() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }
        var run = ChildRun()
        var pending = Data()
        let reader = pipe.fileHandleForReading
        outer: while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            pending += chunk
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                let words = line.split(separator: " ")
                switch words.first {
                case "begin": run.inFlight = Int(words[1])
                case "ack":
                    run.acknowledged.append(Int(words[1])!)
                    run.inFlight = nil
                case "stopped":
                    run.stoppedAt = String(words[1])
                    child.kill()
                    break outer
                case "done": run.finished = true
                default: Issue.record("child said: \(line)")
                }
            }
        }
        _ = try child.wait()
        return run
    }

    /// The index content as (id -> (text, vector)).
    static func contents(of index: RetrievalIndex) -> [String: (text: String, vector: [Float])] {
        Dictionary(
            uniqueKeysWithValues: index.ids.map { id in
                let record = index.record(id: id)!
                return (id, (record.text, record.vector))
            })
    }

    static func matches(
        _ actual: [String: (text: String, vector: [Float])], _ expected: [String: (seed: Int, text: String)]
    ) -> Bool {
        guard Set(actual.keys) == Set(expected.keys) else { return false }
        for (id, want) in expected {
            let got = actual[id]!
            let unit = VectorMath.normalized(vector(seed: want.seed))!
            guard got.text == want.text, abs(VectorMath.dot(got.vector, unit) - 1) < 1e-5 else { return false }
        }
        return true
    }

    @Test(arguments: [
        ("mid-log-append", 1), ("mid-log-append", 6), ("after-log-sync", 4), ("after-log-sync", 9),
        ("mid-segment-write", 1), ("mid-segment-write", 3), ("after-segment-sync", 2),
        ("before-manifest-rename", 2), ("after-manifest-rename", 1), ("after-manifest-rename", 3),
    ])
    func killedWriterLosesNoAcknowledgedWrite(point: String, occurrence: Int) throws {
        let directory = temporaryDirectory("crash-\(point)-\(occurrence)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try Self.runChild(directory: directory, point: point, occurrence: occurrence, operations: 24)
        #expect(run.stoppedAt == point, "the child never reached \(point) #\(occurrence)")
        #expect(!run.finished)
        var before: [String: (seed: Int, text: String)] = [:]
        for n in run.acknowledged { Self.apply(n, to: &before) }
        #expect(run.acknowledged == Array(0..<run.acknowledged.count), "acks in order")
        var after = before
        if let n = run.inFlight { Self.apply(n, to: &after) }

        let configuration = IndexConfiguration(dimension: 8, hnsw: HNSWParameters(m: 4, efConstruction: 16))
        let index = try RetrievalIndex.open(directory: directory, configuration: configuration)
        let actual = Self.contents(of: index)
        let inFlight = run.inFlight.map(String.init) ?? "none"
        #expect(
            Self.matches(actual, before) || Self.matches(actual, after),
            "after \(run.acknowledged.count) acks (in flight: \(inFlight)) got \(actual.keys.sorted())")
        _ = try index.verify()

        // The recovered index keeps working: more writes and a snapshot survive another reopen.
        try index.upsert([IndexRecord(id: "extra", vector: Self.vector(seed: 4242), text: "extra")])
        try index.checkpoint()
        let reopened = try RetrievalIndex.open(directory: directory, configuration: configuration)
        #expect(reopened.count == actual.count + 1)
        _ = try reopened.verify()
    }

    @Test func uninterruptedChildWritesEverything() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try Self.runChild(directory: directory, point: "none", occurrence: 1, operations: 24)
        #expect(run.finished && run.acknowledged.count == 24)
        var expected: [String: (seed: Int, text: String)] = [:]
        for n in 0..<24 { Self.apply(n, to: &expected) }
        let index = try RetrievalIndex.open(
            directory: directory,
            configuration: IndexConfiguration(dimension: 8, hnsw: HNSWParameters(m: 4, efConstruction: 16)))
        #expect(Self.matches(Self.contents(of: index), expected))
    }
}
