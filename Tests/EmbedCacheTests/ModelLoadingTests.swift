import EmbedCache
import Foundation
import Testing

/// A model directory that is missing, truncated, or of another architecture gives a clear error naming the
/// file, never a crash.
@Suite struct ModelLoadingTests {
    /// A copy of the real model directory with links to the big files, so one file can be swapped.
    private func modelCopy() throws -> URL {
        let source = try Fixtures.modelDirectory()
        let copy = try Fixtures.temporaryDirectory()
        for name in [
            "config.json", "vocab.txt", "model.safetensors", "tokenizer_config.json",
            "sentence_bert_config.json", "modules.json",
        ] {
            try FileManager.default.createSymbolicLink(
                at: copy.appendingPathComponent(name), withDestinationURL: source.appendingPathComponent(name))
        }
        return copy
    }

    private func loadError(_ directory: URL) -> EmbedError? {
        do {
            _ = try BertEmbedder(modelDirectory: directory)
            return nil
        } catch {
            return error as? EmbedError
        }
    }

    private func replace(_ name: String, in directory: URL, with data: Data) throws {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.removeItem(at: url)
        try data.write(to: url)
    }

    @Test func missingDirectory() {
        let error = loadError(URL(fileURLWithPath: "/nonexistent/model"))
        #expect(error?.code == .modelFileMissing)
        #expect(error?.message.contains("/nonexistent/model") == true)
    }

    @Test func missingWeights() throws {
        let dir = try modelCopy()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("model.safetensors"))
        let error = loadError(dir)
        #expect(error?.code == .modelFileMissing)
        #expect(error?.message.contains("model.safetensors") == true)
    }

    @Test func truncatedWeights() throws {
        let dir = try modelCopy()
        let full = try FileHandle(
            forReadingFrom: try Fixtures.modelDirectory().appendingPathComponent("model.safetensors"))
        let head = try full.read(upToCount: 2_000_000) ?? Data()
        try replace("model.safetensors", in: dir, with: head)
        let error = loadError(dir)
        #expect(error?.code == .modelFileCorrupt)
        #expect(error?.message.contains("truncated") == true)
    }

    @Test func garbageWeightsHeader() throws {
        let dir = try modelCopy()
        try replace("model.safetensors", in: dir, with: Data([0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]) + Data(count: 64))
        #expect(loadError(dir)?.code == .modelFileCorrupt)
        try replace("model.safetensors", in: dir, with: Data([10, 0, 0, 0, 0, 0, 0, 0]) + Data("not json!!".utf8))
        #expect(loadError(dir)?.code == .modelFileCorrupt)
    }

    @Test func otherArchitecture() throws {
        let dir = try modelCopy()
        try replace("config.json", in: dir, with: Data(#"{"model_type": "gpt2", "n_embd": 768}"#.utf8))
        let error = loadError(dir)
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("gpt2") == true)
    }

    @Test func configThatDisagreesWithWeights() throws {
        let dir = try modelCopy()
        let config = try String(
            contentsOf: try Fixtures.modelDirectory().appendingPathComponent("config.json"),
            encoding: .utf8)
        try replace(
            "config.json", in: dir,
            with: Data(
                config.replacingOccurrences(
                    of: "\"intermediate_size\": 1536", with: "\"intermediate_size\": 1024"
                ).utf8))
        let error = loadError(dir)
        #expect(error?.code == .tensorMismatch)
        #expect(error?.message.contains("intermediate.dense") == true)
    }

    @Test func fingerprintIsStableAndSeesSettings() throws {
        let a = try SharedModel.embedder.get()
        let b = try BertEmbedder(modelDirectory: try modelCopy())
        #expect(a.fingerprint == b.fingerprint && a.fingerprint.count == 64)
        let dir = try modelCopy()
        try replace("sentence_bert_config.json", in: dir, with: Data(#"{"max_seq_length": 128}"#.utf8))
        #expect(try BertEmbedder(modelDirectory: dir).fingerprint != a.fingerprint)
    }
}
