import EmbedCache
import Foundation
import Testing

/// The encoder against the reference all-MiniLM-L6-v2 outputs in `fixtures/minilm` (sentence-transformers,
/// one text per forward pass): cosine >= 0.9999 and max |diff| <= 1e-4 for every vector.
@Suite struct EncoderFidelityTests {
    private func golden() throws -> [(id: String, text: String, vector: [Float])] {
        try Fixtures.jsonLines("embeddings.jsonl").map {
            ($0["id"] as! String, $0["text"] as! String, ($0["embedding"] as! [Double]).map(Float.init))
        }
    }

    private func check(_ got: [[Float]], against expected: [(id: String, text: String, vector: [Float])]) {
        #expect(got.count == expected.count)
        for (vector, item) in zip(got, expected) {
            #expect(vector.count == 384)
            #expect(cosine(vector, item.vector) >= 0.9999, "cosine of \(item.id)")
            #expect(maxAbsDiff(vector, item.vector) <= 1e-4, "max diff of \(item.id)")
        }
    }

    @Test func everyGoldenVectorOneTextPerBatch() throws {
        let embedder = try SharedModel.embedder.get()
        let expected = try golden()
        #expect(expected.count == 64)
        check(expected.map { embedder.encoder.encode([embedder.tokenizer.encode($0.text)])[0] }, against: expected)
    }

    @Test func everyGoldenVectorInMixedLengthBatchesOnTwoThreads() async throws {
        let embedder = try SharedModel.embedder.get()
        let expected = try golden()
        // Shuffled so batches mix short and long texts; the embedder must return them in input order.
        var generator = SystemRandomNumberGenerator()
        let order = Array(expected.indices).shuffled(using: &generator)
        let got = try await embedder.embed(order.map { expected[$0].text })
        check(got, against: order.map { expected[$0] })
    }

    @Test func oneBatchWithEveryTextAtOnce() throws {
        let embedder = try SharedModel.embedder.get()
        let expected = try golden()
        check(embedder.encoder.encode(expected.map { embedder.tokenizer.encode($0.text) }), against: expected)
    }

    @Test func hiddenStatesMatchReferenceLayerByLayer() throws {
        let embedder = try SharedModel.embedder.get()
        let data = try Data(contentsOf: Fixtures.minilm.appendingPathComponent("intermediates.json"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let items = object["items"] as! [[String: Any]]
        #expect(items.count == 2)
        for item in items {
            let ids = item["ids"] as! [Int]
            let states = item["hidden_states"] as! [[Double]]
            #expect(states.count == 7)
            #expect(embedder.tokenizer.encode(item["text"] as! String) == ids.map(Int32.init))
            for (layer, reference) in states.enumerated() {
                let got = embedder.encoder.hiddenStates(ids.map(Int32.init), upTo: layer)
                #expect(got.count == reference.count)
                #expect(maxAbsDiff(got, reference.map(Float.init)) <= 2e-4, "layer \(layer)")
            }
        }
    }
}
