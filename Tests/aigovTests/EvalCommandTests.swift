import Foundation
import Testing

/// `aigov eval beir`, `aigov eval questions` and `aigov eval answers` on `fixtures/beir-tiny`, whose lexical rankings follow from
/// term counts alone (title + text, stopwords dropped, 103 tokens over 8 documents, so avgdl 12.875):
///
/// - q1 "zebra": d1 (tf 3, 14 tokens), d3 (tf 2, 16 tokens), d2 (tf 1, 12 tokens); BM25 (k1 0.9, b 0.4)
///   gives 1.45, 1.27, 1.01 times idf. Judged d2 = 2, d3 = 1, d8 = 1 (d8 never says zebra).
///   DCG@10 = 1/log2(3) + 2/log2(4); ideal = 2 + 1/log2(3) + 1/log2(4); recall 2/3; first relevant at rank 2.
/// - q2 "volcano": d4 (tf 3) then d5 (tf 1); judged d4 = 1: nDCG 1, recall 1, RR 1.
/// - q3 "glacier": only d6; judged d7 = 1: all 0.
/// - q4 has no judgements and is not counted.
@Suite(.serialized) struct EvalCommandTests {
    static let fixture = CLI.root.appendingPathComponent("fixtures/beir-tiny").path

    static let q1NDCG = (1 / log2(3.0) + 2 / log2(4.0)) / (2 + 1 / log2(3.0) + 1 / log2(4.0))

    @Test func beirLexicalMetricsMatchTheHandComputedOnes() async throws {
        let cache = try CLI.temporaryDirectory()
        let kept = try CLI.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: cache)
            try? FileManager.default.removeItem(atPath: kept)
        }
        let run = try await CLI.run([
            "eval", "beir", Self.fixture, "--mode", "all", "--json", "--cache-dir", cache, "--keep-data", kept,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let objects = try CLI.objects(run.stdout)
        #expect(objects.map { $0["mode"] as? String } == ["dense", "lexical", "hybrid"])
        for object in objects {
            #expect(Set(object.keys) == ["mode", "ndcg_at_10", "recall_at_100", "mrr_at_10", "queries", "seconds"])
            #expect(object["queries"] as? Int == 3)
            let ndcg = try #require(object["ndcg_at_10"] as? Double)
            let mrr = try #require(object["mrr_at_10"] as? Double)
            #expect(ndcg >= 0 && ndcg <= 1 && mrr >= 0 && mrr <= 1)
        }
        let lexical = objects[1]
        #expect(abs((lexical["ndcg_at_10"] as? Double ?? -1) - (Self.q1NDCG + 1) / 3) < 1e-6)
        #expect(abs((lexical["recall_at_100"] as? Double ?? -1) - (2.0 / 3 + 1) / 3) < 1e-6)
        #expect(abs((lexical["mrr_at_10"] as? Double ?? -1) - 0.5) < 1e-6)
        // Dense and hybrid rank all 8 documents, so every judged document is within 100.
        #expect(abs((objects[0]["recall_at_100"] as? Double ?? -1) - 1) < 1e-6)
        #expect(abs((objects[2]["recall_at_100"] as? Double ?? -1) - 1) < 1e-6)

        // Run again on the kept data: nothing is embedded (the cache has every chunk), the figures repeat.
        let again = try await CLI.run([
            "eval", "beir", Self.fixture, "--mode", "lexical", "--json", "--cache-dir", cache, "--keep-data", kept,
        ])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("0 chunks embedded"), "\(again.stderr)")
        let repeated = try #require(try CLI.objects(again.stdout).first)
        #expect(repeated["ndcg_at_10"] as? Double == lexical["ndcg_at_10"] as? Double)

        // The questions run on the knowledge base the benchmark kept: "What might a zebra use its stripes
        // for?" finds "confuse flies" in d1, first; "Tell me about a volcano" finds "lava lake" in d5, second
        // after d4; "glacier" returns only d6, which does not say "penguin".
        let questions = try await CLI.run([
            "eval", "questions", "\(Self.fixture)/questions.jsonl", "--data-dir", kept, "--mode", "lexical",
            "--json", "--top-k", "5",
        ])
        #expect(questions.status == 0, "\(questions.stderr)")
        let summary = try #require(try CLI.objects(questions.stdout).first)
        #expect(summary["questions"] as? Int == 3)
        #expect(abs((summary["hit_at_1"] as? Double ?? -1) - 1.0 / 3) < 1e-6)
        #expect(abs((summary["hit_at_5"] as? Double ?? -1) - 2.0 / 3) < 1e-6)
        #expect(abs((summary["mrr"] as? Double ?? -1) - 0.5) < 1e-6)
        // Thirty passages hold no more: "penguin" is nowhere.
        #expect(abs((summary["hit_at_30"] as? Double ?? -1) - 2.0 / 3) < 1e-6)
        let misses = try #require(summary["misses"] as? [[String: Any]])
        #expect(misses.count == 1)
        #expect(misses.first?["question"] as? String == "glacier")
        let top = misses.first?["top"] as? [[String: Any]]
        #expect(top?.map { $0["document_id"] as? String } == ["d6"])

        // The same questions split in two halves, one judged at section level: summaries per split, --split
        // keeps one half. The tiny corpus has no section labels, so no provision can match (nDCG 0).
        let splitFile = URL(fileURLWithPath: kept).appendingPathComponent("split.jsonl")
        try """
        {"id": "z", "split": "tune", "question": "What might a zebra use its stripes for?", "expect": ["confuse flies"], \
        "document": "d1", "provision": "Article 1"}
        {"id": "v", "split": "heldout", "question": "Tell me about a volcano", "expect": ["LAVA   lake"]}
        {"id": "g", "split": "heldout", "question": "glacier", "expect": ["penguin"]}

        """.write(to: splitFile, atomically: true, encoding: .utf8)
        let both = try await CLI.run([
            "eval", "questions", splitFile.path, "--data-dir", kept, "--mode", "lexical", "--json",
        ])
        #expect(both.status == 0, "\(both.stderr)")
        let bothSummary = try #require(try CLI.objects(both.stdout).first)
        #expect(bothSummary["section_judged"] as? Int == 1)
        #expect(bothSummary["section_reachable"] as? Int == 0)
        #expect(bothSummary["ndcg_at_10"] as? Double == 0)
        let splits = try #require(bothSummary["splits"] as? [String: [String: Any]])
        #expect(splits["tune"]?["questions"] as? Int == 1)
        #expect(splits["tune"]?["hit_at_1"] as? Double == 1)
        #expect(splits["heldout"]?["questions"] as? Int == 2)
        #expect(splits["heldout"]?["ndcg_at_10"] is NSNull)
        #expect(abs((splits["heldout"]?["mrr"] as? Double ?? -1) - 0.25) < 1e-6)
        let heldout = try await CLI.run([
            "eval", "questions", splitFile.path, "--data-dir", kept, "--mode", "lexical", "--json", "--split",
            "heldout",
        ])
        #expect(heldout.status == 0, "\(heldout.stderr)")
        let heldoutSummary = try #require(try CLI.objects(heldout.stdout).first)
        #expect(heldoutSummary["questions"] as? Int == 2)
        #expect(heldoutSummary["split"] as? String == "heldout")
        #expect(heldoutSummary["splits"] == nil)
        #expect((heldoutSummary["misses"] as? [[String: Any]])?.first?["id"] as? String == "g")

        // The offline answers to the same questions: the zebra and volcano answers quote their phrase from the
        // passage that holds it; nothing holds "penguin", so the glacier answer cannot.
        let answers = try await CLI.run(["eval", "answers", splitFile.path, "--data-dir", kept, "--json"])
        #expect(answers.status == 0, "\(answers.stderr)")
        let report = try #require(try CLI.objects(answers.stdout).first)
        let all = try #require(report["all"] as? [String: Any])
        #expect(all["questions"] as? Int == 3)
        #expect(abs((all["retrieved"] as? Double ?? -1) - 2.0 / 3) < 1e-6)
        #expect(abs((all["quoted"] as? Double ?? -1) - 2.0 / 3) < 1e-6)
        // Only the zebra answer opens with its phrase: the volcano's passage is second, behind one the answer
        // quotes first.
        #expect(abs((all["led"] as? Double ?? -1) - 1.0 / 3) < 1e-6)
        #expect(abs((all["cited"] as? Double ?? -1) - 2.0 / 3) < 1e-6)
        #expect(all["declined"] as? Double == 0)
        // None of these questions names an article's paragraph, so none is judged for its label.
        #expect(all["label_judged"] as? Int == 0 && all["labelled"] is NSNull)
        #expect((report["tune"] as? [String: Any])?["quoted"] as? Double == 1)
        let outcomes = try #require(report["questions"] as? [[String: Any]])
        #expect(outcomes.map { $0["id"] as? String } == ["z", "v", "g"])
        #expect((outcomes[0]["answer"] as? String)?.contains("confuse flies") == true)
        #expect(outcomes[2]["retrieved"] as? Bool == false && outcomes[2]["quoted"] as? Bool == false)
        #expect(outcomes.map { $0["led"] as? Bool } == [true, false, false])
        let missing = try await CLI.run(["eval", "answers", splitFile.path, "--data-dir", kept, "--split", "x"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("holds no questions of split 'x'"), "\(missing.stderr)")
    }

    @Test func badInputsFailWithTheFileAndLine() async throws {
        let folder = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let missing = try await CLI.run(["eval", "beir", folder, "--cache-dir", folder])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("missing_file: cannot read \(folder)/corpus.jsonl"), "\(missing.stderr)")
        let questions = URL(fileURLWithPath: folder).appendingPathComponent("q.jsonl")
        try "{\"question\": \"x\", \"expect\": [\"y\"]}\n{\"question\": \"no phrases\"}\n".write(
            to: questions, atomically: true, encoding: .utf8)
        let bad = try await CLI.run(["eval", "questions", questions.path, "--data-dir", folder])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("q.jsonl line 2"), "\(bad.stderr)")
    }
}
