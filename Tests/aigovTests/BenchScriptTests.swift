import AigovTestSupport
import Foundation
import Testing

@testable import aigov

/// `aigov bench serve --uncached`: the wrk script, run by real wrk, never sends the same question twice, within
/// a run or across runs (the warm-up and each connection count are separate wrk runs over one embedding
/// cache). The scripted server stands in for aigov: it records every body it is sent.
@Suite struct BenchScriptTests {
    @Test func uncachedQuestionsAreDistinctAcrossRuns() async throws {
        let wrk = try #require(
            ["/usr/bin/wrk", "/usr/local/bin/wrk"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "wrk is not installed (scripts/setup installs it)")
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-wrk-\(UUID()).lua")
        defer { try? FileManager.default.removeItem(at: script) }
        try WrkScript.retrieve(
            questions: ["What is a provider?", "Who is a deployer?"], topK: 3, mode: "dense", unique: true
        )
        .write(to: script, atomically: true, encoding: .utf8)
        try await withScriptedServer { server in
            let url = "http://127.0.0.1:\(server.port)"
            for salt in ["abc123w", "abc123r0"] {
                try await offThePool {
                    _ = try WrkRun.run(
                        wrk: wrk, script: script, url: url, connections: 2, threads: 1, seconds: 1, salt: salt)
                }
            }
            let questions = server.requests(model: "").compactMap {
                ($0["body"] as? [String: Any])?["query"] as? String
            }
            #expect(questions.count > 10)
            #expect(Set(questions).count == questions.count, "a question was sent twice")
            #expect(questions.contains { $0.contains("abc123w-") } && questions.contains { $0.contains("abc123r0-") })
        }
    }
}
