import EmbedCache
import Foundation
import Testing

/// Paths to the checked-in fixtures and to the model `scripts/setup` installs.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let minilm = root.appendingPathComponent("fixtures/minilm")

    /// The model directory; tests that need it fail (not skip) when it is absent, so CI cannot go green
    /// without running them.
    static func modelDirectory() throws -> URL {
        let directory = ModelLocator.modelDirectory()
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.safetensors").path) else {
            Issue.record("no model at \(directory.path): run scripts/setup (or set EMBEDDING_MODEL_DIR)")
            throw CancellationError()
        }
        return directory
    }

    static func jsonLines(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: minilm.appendingPathComponent(name))
        return try data.split(separator: 0x0A).map {
            try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any]
        }
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// One model for the whole test process: loading it takes a moment and it is immutable.
enum SharedModel {
    static let embedder: Result<BertEmbedder, any Error> = Result {
        try BertEmbedder(modelDirectory: Fixtures.modelDirectory(), threads: 2, batchSize: 16)
    }
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var dot = 0.0
    var na = 0.0
    var nb = 0.0
    for (x, y) in zip(a, b) {
        dot += Double(x) * Double(y)
        na += Double(x) * Double(x)
        nb += Double(y) * Double(y)
    }
    return dot / (na.squareRoot() * nb.squareRoot())
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
