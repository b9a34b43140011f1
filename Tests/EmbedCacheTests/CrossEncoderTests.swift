import EmbedCache
import Foundation
import Testing

/// The cross-encoder against the reference library: `fixtures/cross-encoder/tiny` is a random-weight
/// `BertForSequenceClassification` made by `scripts/make_cross_encoder.py`, and `reference.jsonl` holds the
/// ids, token types, logits (transformers) and scores (sentence-transformers CrossEncoder) it gave.
@Suite struct CrossEncoderTests {
    static let folder = Fixtures.root.appendingPathComponent("fixtures/cross-encoder")
    static let model = folder.appendingPathComponent("tiny")

    struct Reference {
        let query: String
        let passage: String
        let ids: [Int32]
        let typeIDs: [Int32]
        let logit: Float
        let score: Float
    }

    static func references() throws -> [Reference] {
        let data = try Data(contentsOf: folder.appendingPathComponent("reference.jsonl"))
        return try data.split(separator: 0x0A).map { line in
            let row = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
            return Reference(
                query: row["query"] as! String, passage: row["passage"] as! String,
                ids: (row["input_ids"] as! [Int]).map(Int32.init),
                typeIDs: (row["token_type_ids"] as! [Int]).map(Int32.init),
                logit: Float(row["logit"] as! Double), score: Float(row["score"] as! Double))
        }
    }

    /// A copy of the tiny model whose `config.json` is changed by `edit`.
    static func copy(editing edit: (inout [String: Any]) -> Void) throws -> URL {
        let directory = try Fixtures.temporaryDirectory()
        for name in ["vocab.txt", "model.safetensors", "tokenizer_config.json"] {
            try FileManager.default.copyItem(
                at: model.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        var config =
            try JSONSerialization.jsonObject(with: Data(contentsOf: model.appendingPathComponent("config.json")))
            as! [String: Any]
        edit(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: directory.appendingPathComponent("config.json"))
        return directory
    }

    static func loadError(_ directory: URL) -> EmbedError? {
        do {
            _ = try CrossEncoder(modelDirectory: directory)
            return nil
        } catch {
            return error as? EmbedError
        }
    }

    /// Opt-in, for a model too big to commit: `AIGOV_CROSS_ENCODER_DIR` names a folder that
    /// `scripts/make_cross_encoder.py --reference FILE` wrote, `AIGOV_CROSS_ENCODER_REFERENCE` the FILE (a
    /// MiniLM-L6-sized model matches within 1e-4). Without them the committed tiny model's tests stand alone.
    @Test func anotherModelMatchesItsReference() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let directory = environment["AIGOV_CROSS_ENCODER_DIR"],
            let reference = environment["AIGOV_CROSS_ENCODER_REFERENCE"]
        else { return }
        let encoder = try CrossEncoder(modelDirectory: URL(fileURLWithPath: directory))
        let data = try Data(contentsOf: URL(fileURLWithPath: reference))
        var worst: Float = 0
        for line in data.split(separator: 0x0A) {
            let row = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
            let pair = encoder.tokenizer.encodePair(row["query"] as! String, row["passage"] as! String)
            #expect(pair.ids.map(Int.init) == row["input_ids"] as! [Int])
            #expect(pair.typeIDs.map(Int.init) == row["token_type_ids"] as! [Int])
            worst = max(worst, abs(encoder.logits([pair])[0] - Float(row["logit"] as! Double)))
        }
        print("cross-encoder \(directory): largest logit difference \(worst)")
        #expect(worst < 1e-4, "largest logit difference \(worst)")
    }

    @Test func readsTheConfiguration() throws {
        let encoder = try CrossEncoder(modelDirectory: Self.model)
        #expect(encoder.configuration.maxLength == 128)
        #expect(encoder.configuration.activation == .sigmoid)
        #expect(encoder.configuration.bert.lowercase)
        #expect(encoder.configuration.bert.hiddenSize == 32)
    }

    /// Longest-first truncation included: the references cut the passage, the query, and both to halves.
    @Test func pairsTokenizeAsTheReference() throws {
        let encoder = try CrossEncoder(modelDirectory: Self.model)
        for reference in try Self.references() {
            let pair = encoder.tokenizer.encodePair(reference.query, reference.passage, maxLength: 128)
            #expect(pair.ids == reference.ids, "\(reference.query.prefix(40)) / \(reference.passage.prefix(40))")
            #expect(pair.typeIDs == reference.typeIDs, "\(reference.query.prefix(40))")
        }
    }

    @Test func logitsAndScoresMatchTheReference() throws {
        let encoder = try CrossEncoder(modelDirectory: Self.model)
        let references = try Self.references()
        var worstLogit: Float = 0
        var worstScore: Float = 0
        for reference in references {
            let relevance = encoder.relevanceBlocking(query: reference.query, passages: [reference.passage])[0]
            worstLogit = max(worstLogit, abs(relevance.logit - reference.logit))
            worstScore = max(worstScore, abs(relevance.score - reference.score))
        }
        print("tiny cross-encoder: largest logit difference \(worstLogit), score \(worstScore)")
        #expect(worstLogit < 1e-5, "largest logit difference \(worstLogit)")
        #expect(worstScore < 1e-5, "largest score difference \(worstScore)")
    }

    /// Packing pairs into batches, on several threads, gives the pair-by-pair logits.
    @Test func batchesAgreeWithSinglePairs() throws {
        let references = try Self.references()
        let single = try CrossEncoder(modelDirectory: Self.model)
        let batched = try CrossEncoder(modelDirectory: Self.model, threads: 2, maxBatchTokens: 200)
        let pairs = references.map { (ids: $0.ids, typeIDs: $0.typeIDs) }
        let together = batched.logits(pairs)
        for (index, pair) in pairs.enumerated() {
            let alone = single.logits([pair])[0]
            #expect(abs(together[index] - alone) < 1e-5)
            #expect(abs(together[index] - references[index].logit) < 1e-5)
        }
    }

    @Test func identityActivationReportsTheLogit() throws {
        let directory = try Self.copy {
            $0["sentence_transformers"] = ["activation_fn": "torch.nn.modules.linear.Identity"]
        }
        let encoder = try CrossEncoder(modelDirectory: directory)
        #expect(encoder.configuration.activation == .identity)
        let reference = try Self.references()[0]
        let relevance = encoder.relevanceBlocking(query: reference.query, passages: [reference.passage])[0]
        #expect(relevance.score == relevance.logit)
    }

    @Test func refusesAnEmbeddingModel() throws {
        let error = Self.loadError(try Self.copy { $0["architectures"] = ["BertModel"] })
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("BertForSequenceClassification") == true)
    }

    @Test func refusesSeveralLabels() throws {
        let error = Self.loadError(
            try Self.copy { $0["id2label"] = ["0": "LABEL_0", "1": "LABEL_1"] })
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("2 labels") == true)
    }

    @Test func refusesAnUnknownActivation() throws {
        let error = Self.loadError(
            try Self.copy { $0["sentence_transformers"] = ["activation_fn": "torch.nn.modules.activation.Softmax"] })
        #expect(error?.code == .unsupportedModel)
    }

    @Test func refusesMismatchedDimensions() throws {
        let error = Self.loadError(
            try Self.copy {
                $0["hidden_size"] = 64
                $0["intermediate_size"] = 128
            })
        #expect(error?.code == .tensorMismatch)
        #expect(error?.message.contains("model.safetensors") == true)
    }

    @Test func refusesAMissingFolderOrFile() throws {
        #expect(Self.loadError(URL(fileURLWithPath: "/nonexistent/reranker"))?.code == .modelFileMissing)
        let directory = try Self.copy { _ in }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("model.safetensors"))
        let error = Self.loadError(directory)
        #expect(error?.code == .modelFileMissing)
        #expect(error?.message.contains("model.safetensors") == true)
    }
}
