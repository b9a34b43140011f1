import CBLAS
import Crypto
import Dispatch
import Foundation
import Synchronization

/// The built-in embedding model: a BERT-family encoder loaded from a model directory (`config.json`,
/// `vocab.txt`, `model.safetensors`, and sentence-transformers' optional settings files).
///
/// Texts are sorted by token count and cut into batches of similar length (at most `batchSize` texts and
/// `maxBatchTokens` tokens each), so packing wastes nothing and scratch memory stays bounded. Batches run on
/// `threads` worker threads, each with single-threaded BLAS: one level of parallelism, never two pools
/// fighting over the cores.
public final class BertEmbedder: SynchronousEmbedder {
    public let tokenizer: WordPieceTokenizer
    public let encoder: BertEncoder
    public let fingerprint: String
    public let threads: Int
    public let batchSize: Int
    public let maxBatchTokens: Int
    public var dimension: Int { encoder.configuration.hiddenSize }

    /// Loads the model in `directory`. Throws `EmbedError` naming the file when one is missing, truncated or
    /// of another architecture, or when `precision` is int8 and oneDNN is not installed.
    public init(
        modelDirectory directory: URL, threads: Int = 1, batchSize: Int = 32, maxBatchTokens: Int = 4096,
        precision: EncoderPrecision = .float32
    ) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw EmbedError(
                .modelFileMissing,
                "model directory \(directory.path) does not exist: expected config.json, vocab.txt and model.safetensors"
                    + " (run scripts/setup, or set EMBEDDING_MODEL_DIR)")
        }
        let configuration = try BertConfiguration(directory: directory)
        let vocabulary = directory.appendingPathComponent("vocab.txt")
        let weights = directory.appendingPathComponent("model.safetensors")
        tokenizer = try WordPieceTokenizer(
            vocabularyFile: vocabulary, maxLength: configuration.maxSequenceLength, lowercase: configuration.lowercase)
        guard tokenizer.vocabularySize == configuration.vocabularySize else {
            throw EmbedError(
                .modelFileCorrupt,
                "\(vocabulary.path) has \(tokenizer.vocabularySize) entries, config.json says vocab_size "
                    + "\(configuration.vocabularySize)")
        }
        encoder = try BertEncoder(configuration: configuration, weights: weights, precision: precision)
        fingerprint = try Self.fingerprint(
            of: [directory.appendingPathComponent("config.json"), vocabulary, weights],
            configuration: configuration, precision: precision)
        self.threads = max(1, threads)
        self.batchSize = max(1, batchSize)
        self.maxBatchTokens = max(configuration.maxSequenceLength, maxBatchTokens)
        // Parallelism comes from batches on worker threads; a second pool inside BLAS would fight it.
        openblas_set_num_threads(1)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        // Heavy, blocking work goes to a Dispatch thread, off Swift's cooperative pool.
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.embedBlocking(texts))
            }
        }
    }

    /// Tokenizes `texts` (with `[CLS]`, `[SEP]`, truncation).
    public func tokenize(_ texts: [String]) -> [[Int32]] {
        texts.map { tokenizer.encode($0) }
    }

    /// `embed` on the calling thread (plus `threads - 1` helpers).
    public func embedBlocking(_ texts: [String]) -> [[Float]] {
        embedBlocking(sequences: tokenize(texts))
    }

    /// Vectors of already tokenized `sequences`, in order.
    public func embedBlocking(sequences: [[Int32]]) -> [[Float]] {
        let batches = plan(sequences.map(\.count))
        let results = Mutex([[Float]](repeating: [], count: sequences.count))
        let next = Atomic<Int>(0)
        let workers = min(threads, batches.count)
        DispatchQueue.concurrentPerform(iterations: max(workers, 1)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                if index >= batches.count { return }
                let batch = batches[index]
                let vectors = encoder.encode(batch.map { sequences[$0] })
                results.withLock { all in
                    for (position, original) in batch.enumerated() { all[original] = vectors[position] }
                }
            }
        }
        return results.withLock { $0 }
    }

    /// Indices grouped into batches, longest first.
    private func plan(_ lengths: [Int]) -> [[Int]] {
        let order = lengths.indices.sorted { lengths[$0] > lengths[$1] }
        var batches: [[Int]] = []
        var current: [Int] = []
        var tokens = 0
        for index in order {
            if !current.isEmpty && (current.count >= batchSize || tokens + lengths[index] > maxBatchTokens) {
                batches.append(current)
                current = []
                tokens = 0
            }
            current.append(index)
            tokens += lengths[index]
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Vectors of int8 differ from float32's in the third decimal, so they are cached apart: the float32
    /// fingerprint is the one caches made before int8 existed hold.
    private static func fingerprint(
        of files: [URL], configuration: BertConfiguration, precision: EncoderPrecision
    ) throws -> String {
        var hasher = SHA256()
        for file in files {
            guard let handle = FileHandle(forReadingAtPath: file.path) else {
                throw EmbedError(.modelFileMissing, "cannot open \(file.path)")
            }
            defer { try? handle.close() }
            hasher.update(data: Data(file.lastPathComponent.utf8))
            while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        }
        let settings =
            "\(configuration.maxSequenceLength)|\(configuration.pooling.rawValue)|"
            + "\(configuration.lowercase)|\(configuration.normalize)"
        hasher.update(data: Data(settings.utf8))
        if precision != .float32 { hasher.update(data: Data("|\(precision.rawValue)".utf8)) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
