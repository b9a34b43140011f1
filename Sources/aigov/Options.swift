import ArgumentParser
import EmbedCache
import Foundation

/// Options every command that touches data takes.
struct DataOptions: ParsableArguments {
    @Option(help: "Data directory (default: $AIGOV_DATA_DIR or ./var).")
    var dataDir: String?

    var dataDirectory: URL {
        if let dataDir { return URL(fileURLWithPath: dataDir) }
        if let value = ProcessInfo.processInfo.environment["AIGOV_DATA_DIR"], !value.isEmpty {
            return URL(fileURLWithPath: value)
        }
        return URL(fileURLWithPath: "var")
    }

    var embeddingCacheDirectory: URL { dataDirectory.appendingPathComponent("embeddings") }

    /// `embedder` in front of its persistent cache in this data directory.
    func cachedEmbedder(for embedder: BertEmbedder) throws -> CachedEmbedder {
        do {
            let cache = try EmbeddingCache(
                directory: embeddingCacheDirectory, fingerprint: embedder.fingerprint, dimension: embedder.dimension)
            return try CachedEmbedder(base: embedder, cache: cache)
        } catch let error as EmbedError {
            throw CLIError(error.description)
        }
    }
}

/// Options for commands that load the built-in model.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model directory (default: $EMBEDDING_MODEL_DIR, else the one scripts/setup installs).")
    var modelDir: String?

    @Option(help: "Worker threads for embedding, each running single-threaded BLAS (default: one per core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Texts per encoder batch.")
    var batchSize: Int = 32

    @Option(help: "Tokens per encoder batch: bounds each worker's scratch memory (about 11 KB per token).")
    var maxBatchTokens: Int = 4096

    @Option(
        help: """
            Arithmetic of the encoder's linear layers: float32 or int8 (default: $EMBEDDING_PRECISION, else \
            float32; int8 needs oneDNN, Debian's libdnnl2).
            """)
    var precision: String?

    /// `--precision`, else `EMBEDDING_PRECISION`, else float32.
    func resolvedPrecision() throws -> EncoderPrecision {
        let environment = ProcessInfo.processInfo.environment["EMBEDDING_PRECISION"]
        let (raw, source) =
            precision.map { ($0, "--precision") } ?? environment.map { ($0, "EMBEDDING_PRECISION") } ?? ("float32", "")
        guard let value = EncoderPrecision(rawValue: raw.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw CLIError("\(source)=\(raw) is not a precision: use float32 or int8")
        }
        return value
    }

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
        guard batchSize >= 1 && batchSize <= 4096 else {
            throw ValidationError("--batch-size must be between 1 and 4096")
        }
        guard maxBatchTokens >= 256 && maxBatchTokens <= 1 << 20 else {
            throw ValidationError("--max-batch-tokens must be between 256 and 1048576")
        }
    }

    func load() throws -> BertEmbedder {
        let directory = ModelLocator.modelDirectory(explicit: modelDir)
        do {
            return try BertEmbedder(
                modelDirectory: directory, threads: threads, batchSize: batchSize, maxBatchTokens: maxBatchTokens,
                precision: try resolvedPrecision())
        } catch let error as EmbedError {
            throw CLIError(error.description)
        }
    }
}

/// A failure reported to the user as one line on stderr with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads JSON Lines from standard input in chunks, each line an object with a string `text`.
struct JSONLinesReader {
    private var lineNumber = 0
    private var buffer = Data()
    private var finished = false
    private let handle = FileHandle.standardInput

    /// The next up-to-`limit` objects; empty at the end of input. Blank lines are skipped.
    mutating func next(limit: Int) throws -> [[String: Any]] {
        var objects: [[String: Any]] = []
        while objects.count < limit {
            guard let line = nextLine() else { break }
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                throw CLIError("input line \(lineNumber): not a JSON object")
            }
            guard object["text"] is String else {
                throw CLIError("input line \(lineNumber): expected a string field \"text\"")
            }
            objects.append(object)
        }
        return objects
    }

    private mutating func nextLine() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = buffer[(newline + 1)...]
                return Data(line)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return Data(buffer)
            }
            let chunk = handle.readData(ofLength: 1 << 16)
            if chunk.isEmpty { finished = true } else { buffer.append(chunk) }
        }
    }
}

/// Reads every `{"text"}` line of a JSONL file.
func readTexts(_ path: String) throws -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError("cannot read \(path)")
    }
    var texts: [String] = []
    for (number, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let text = object["text"] as? String
        else {
            throw CLIError("\(path) line \(number + 1): expected a JSON object with a string \"text\"")
        }
        texts.append(text)
    }
    return texts
}

/// One JSON object on one line: `object`'s keys sorted, with `key: floats` appended, floats printed in
/// their shortest round-trip form.
func jsonLine(_ object: [String: Any], appending key: String, floats: [Float]) throws -> String {
    var rest = object
    rest.removeValue(forKey: key)
    let data = try JSONSerialization.data(withJSONObject: rest, options: [.sortedKeys, .withoutEscapingSlashes])
    var text = String(decoding: data, as: UTF8.self)
    text.removeLast()  // "}"
    if rest.count > 0 { text += "," }
    text += "\"\(key)\":[" + floats.map { $0.isFinite ? "\($0)" : "0" }.joined(separator: ",") + "]}"
    return text
}
