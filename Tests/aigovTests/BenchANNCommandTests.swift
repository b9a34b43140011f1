import Foundation
import Testing

/// `aigov bench ann --quantize` as a user runs it: the int8 runs come from the same graph as the float runs, within
/// 0.01 of their recall, with the codes' size and the memory split reported. No speed is asserted.
@Suite struct BenchANNCommandTests {
    @Test func quantizeReportsInt8RunsBesideTheFloatRuns() async throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let generate = try await CLI.run([
            "bench", "ann", "--generate", "clustered", "--rows", "3000", "--dim", "32", "--queries", "100",
            "--out", directory,
        ])
        #expect(generate.status == 0, "\(generate.stderr)")
        let run = try await CLI.run([
            "bench", "ann", "--base", directory + "/base.fvecs", "--query", directory + "/query.fvecs",
            "--groundtruth", directory + "/groundtruth.ivecs", "--ef", "20,40", "--build-threads", "2", "--quantize",
            "--json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let floats = try #require(report["runs"] as? [[String: Any]])
        let codes = try #require(report["quantized_runs"] as? [[String: Any]])
        #expect(floats.count == 2 && codes.count == 2)
        for (float, code) in zip(floats, codes) {
            let floatRecall = try #require(float["recall"] as? Double)
            let codeRecall = try #require(code["recall"] as? Double)
            #expect(code["ef"] as? Int == float["ef"] as? Int)
            #expect(floatRecall > 0.9 && codeRecall >= floatRecall - 0.01, "float \(floatRecall), int8 \(codeRecall)")
        }
        // One byte per dimension, a 4-byte norm and a 4-byte residual per row of the graph's capacity (the
        // benchmark reserves the rows).
        #expect(report["code_bytes"] as? Int == 3000 * (32 + 8))
        #expect(report["rows_spilled"] as? Bool == true)
        let heap = try #require(report["rss_anonymous_bytes"] as? [String: Int])
        #expect(heap["before_quantize"] != nil && heap["after_quantize"] != nil)
        // Without --quantize there are no int8 runs.
        let plain = try await CLI.run([
            "bench", "ann", "--base", directory + "/base.fvecs", "--query", directory + "/query.fvecs",
            "--groundtruth", directory + "/groundtruth.ivecs", "--ef", "20", "--json",
        ])
        let plainReport = try #require(
            try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])
        #expect(plainReport["quantized_runs"] == nil)
    }
}
