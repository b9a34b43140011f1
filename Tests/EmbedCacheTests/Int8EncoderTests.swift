import EmbedCache
import Foundation
import Testing

/// `EMBEDDING_PRECISION=int8` (issue 20 item 2): the linear layers on oneDNN's integer GEMM keep every golden
/// vector within cosine 0.995 of the reference, whatever the batching, and cache apart from float32's vectors.
@Suite struct Int8EncoderTests {
    static let embedder: Result<BertEmbedder, any Error> = Result {
        try BertEmbedder(modelDirectory: Fixtures.modelDirectory(), threads: 2, batchSize: 16, precision: .int8)
    }

    private func golden() throws -> [(id: String, text: String, vector: [Float])] {
        try Fixtures.jsonLines("embeddings.jsonl").map {
            ($0["id"] as! String, $0["text"] as! String, ($0["embedding"] as! [Double]).map(Float.init))
        }
    }

    @Test func everyGoldenVectorWithinCosine0995AloneAndBatched() async throws {
        let int8 = try Self.embedder.get()
        #expect(int8.encoder.precision == .int8)
        let expected = try golden()
        let alone = expected.map { int8.encoder.encode([int8.tokenizer.encode($0.text)])[0] }
        let batched = try await int8.embed(expected.map(\.text))
        var worst = 1.0
        for (index, item) in expected.enumerated() {
            let similarity = cosine(alone[index], item.vector)
            worst = min(worst, similarity)
            #expect(similarity >= 0.995, "cosine of \(item.id): \(similarity)")
            // Packing rows of other texts beside a text must not change its vector (per-row activation scales).
            #expect(cosine(batched[index], alone[index]) >= 0.99999, "batched \(item.id)")
        }
        // Quantized, not silently float32: some vector must move past float32's 1e-4 tolerance.
        let largest = zip(alone, expected).map { maxAbsDiff($0, $1.vector) }.max() ?? 0
        #expect(largest > 1e-4, "int8 vectors equal float32's to 1e-4 (worst cosine \(worst))")
    }

    @Test func int8VectorsAreCachedApartFromFloat32s() throws {
        let float = try SharedModel.embedder.get()
        let int8 = try Self.embedder.get()
        #expect(float.fingerprint != int8.fingerprint)
        #expect(float.encoder.precision == .float32)
    }
}
