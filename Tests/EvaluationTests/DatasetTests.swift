import Evaluation
import Foundation
import Testing

/// BEIR and question files: what is read, and the errors for what cannot be.
@Suite struct DatasetTests {
    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("beir-\(UUID().uuidString)")
        for (name, text) in files {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return url
    }

    let corpus = """
        {"_id": "d1", "title": "T", "text": "one"}
        {"_id": "d2", "text": "two"}

        """
    let queries = """
        {"_id": "q1", "text": "first"}
        {"_id": "q2", "text": "unjudged"}
        """

    @Test func readsTheLayoutAndKeepsOnlyJudgedQueries() throws {
        let url = try folder([
            "corpus.jsonl": corpus, "queries.jsonl": queries,
            "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq1\td1\t2\r\nq1\td2\t0\n",
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let dataset = try BEIRDataset.load(directory: url)
        #expect(
            dataset.documents == [
                BEIRDocument(id: "d1", title: "T", text: "one"), .init(id: "d2", title: "", text: "two"),
            ])
        #expect(dataset.queries.map(\.id) == ["q1"])
        #expect(dataset.qrels == ["q1": ["d1": 2, "d2": 0]])
    }

    @Test func errorsNameTheFileAndLine() throws {
        let url = try folder([
            "corpus.jsonl": corpus, "queries.jsonl": queries, "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq1 d1 1\n",
            "qrels/dev.tsv": "q9\td1\t1\n", "bad/corpus.jsonl": "{\"_id\": \"x\", \"text\": \"a\"}\nnot json\n",
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: EvaluationError(.missingFile, "cannot read \(url.path)/qrels/train.tsv")) {
            try BEIRDataset.load(directory: url, split: "train")
        }
        #expect(throws: EvaluationError.self) { try BEIRDataset.load(directory: url) }
        do {
            _ = try BEIRDataset.load(directory: url)
        } catch let error as EvaluationError {
            #expect(error.code == .badLine)
            #expect(error.message.contains("test.tsv line 2"))
        }
        do {
            _ = try BEIRDataset.load(directory: url, split: "dev")
        } catch let error as EvaluationError {
            #expect(error.code == .inconsistent)
            #expect(error.message.contains("q9"))
        }
        do {
            _ = try BEIRDataset.load(directory: url.appendingPathComponent("bad"))
        } catch let error as EvaluationError {
            #expect(error.code == .badLine)
            #expect(error.message.contains("corpus.jsonl line 2"))
        }
    }

    @Test func phrasesMatchAfterNFKCCaseAndWhitespaceFolding() {
        let passages = ["nothing here", "The ﬁrst  Provider\nshall  ensure", "shall ensure"]
        #expect(PhraseMatcher.firstHit(passages: passages, phrases: ["FIRST provider shall"]) == 2)
        #expect(PhraseMatcher.firstHit(passages: passages, phrases: ["absent", "shall ensure"]) == 2)
        #expect(PhraseMatcher.firstHit(passages: passages, phrases: ["absent"]) == nil)
        let summary = QuestionSummary(ranks: [1, 3, nil, 6])
        #expect(summary.hitAt1 == 0.25)
        #expect(summary.hitAt5 == 0.5)
        #expect(abs(summary.mrr - (1 + 1 / 3.0 + 1 / 6.0) / 4) < 1e-12)
        #expect(summary.hitAt30 == nil)
        // The reranking ceiling counts first hits within 30 of the separately retrieved passages.
        let deep = QuestionSummary(ranks: [1, nil, nil, nil], deepRanks: [1, 12, 31, nil])
        #expect(deep.hitAt30 == 0.5 && deep.hitAt5 == 0.25)
    }
}
