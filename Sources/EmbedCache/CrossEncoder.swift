import CBLAS
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A sentence-transformers CrossEncoder (a BERT `BertForSequenceClassification` with one label) on the same
/// BLAS encoder as the embedding model: each (query, passage) pair is read together as
/// `[CLS] query [SEP] passage [SEP]`, and the relevance logit is the classifier over the pooler
/// (`tanh(W·h[CLS] + b)`) of the last layer.
///
/// Pairs are packed into batches of at most `maxBatchTokens` tokens, run on `threads` worker threads with
/// single-threaded BLAS each (as ``BertEmbedder`` does).
public final class CrossEncoder: PassageScorer {
    public let configuration: CrossEncoderConfiguration
    public let tokenizer: WordPieceTokenizer
    public let encoder: BertEncoder
    public let threads: Int
    public let maxBatchTokens: Int
    private let poolerWeight: [Float]  // [H, H]
    private let poolerBias: [Float]
    private let classifierWeight: [Float]  // [1, H]
    private let classifierBias: [Float]

    /// Loads the CrossEncoder folder `directory`: `config.json`, `vocab.txt`, `model.safetensors` (F32, F16 or
    /// BF16) and, when present, `tokenizer_config.json`.
    ///
    /// - Throws: `EmbedError` naming the file: `modelFileMissing`, `modelFileCorrupt`, `unsupportedModel` (not
    ///   a one-label `BertForSequenceClassification`), `tensorMismatch` (a weight absent or of another shape
    ///   than the configuration says).
    public init(modelDirectory directory: URL, threads: Int = 1, maxBatchTokens: Int = 4096) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw EmbedError(
                .modelFileMissing,
                "cross-encoder directory \(directory.path) does not exist: expected config.json, vocab.txt and "
                    + "model.safetensors")
        }
        let configuration = try CrossEncoderConfiguration(directory: directory)
        let vocabulary = directory.appendingPathComponent("vocab.txt")
        tokenizer = try WordPieceTokenizer(
            vocabularyFile: vocabulary, maxLength: configuration.maxLength, lowercase: configuration.bert.lowercase)
        guard tokenizer.vocabularySize == configuration.bert.vocabularySize else {
            throw EmbedError(
                .modelFileCorrupt,
                "\(vocabulary.path) has \(tokenizer.vocabularySize) entries, config.json says vocab_size "
                    + "\(configuration.bert.vocabularySize)")
        }
        let weights = directory.appendingPathComponent("model.safetensors")
        encoder = try BertEncoder(configuration: configuration.bert, weights: weights)
        let file = try SafeTensorsFile(url: weights)
        let prefix = file.tensors["bert.pooler.dense.weight"] != nil ? "bert." : ""
        let h = configuration.bert.hiddenSize
        poolerWeight = try file.floats(prefix + "pooler.dense.weight", shape: [h, h])
        poolerBias = try file.floats(prefix + "pooler.dense.bias", shape: [h])
        classifierWeight = try file.floats("classifier.weight", shape: [1, h])
        classifierBias = try file.floats("classifier.bias", shape: [1])
        self.configuration = configuration
        self.threads = max(1, threads)
        self.maxBatchTokens = max(configuration.maxLength, maxBatchTokens)
        // Parallelism comes from batches on worker threads; a second pool inside BLAS would fight it.
        openblas_set_num_threads(1)
    }

    public func relevance(query: String, passages: [String]) async throws -> [Relevance] {
        // Heavy, blocking work goes to a Dispatch thread, off Swift's cooperative pool.
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.relevanceBlocking(query: query, passages: passages))
            }
        }
    }

    /// `relevance` on the calling thread (plus `threads - 1` helpers).
    public func relevanceBlocking(query: String, passages: [String]) -> [Relevance] {
        let pairs = passages.map { tokenizer.encodePair(query, $0, maxLength: configuration.maxLength) }
        return logits(pairs).map { Relevance(logit: $0, score: configuration.activation.apply($0)) }
    }

    /// The classifier logit of each tokenized pair (ids and token types as ``WordPieceTokenizer/encodePair``
    /// gives them), in order.
    public func logits(_ pairs: [(ids: [Int32], typeIDs: [Int32])]) -> [Float] {
        let batches = plan(pairs.map(\.ids.count))
        let results = Mutex([Float](repeating: 0, count: pairs.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(min(threads, batches.count), 1)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                if index >= batches.count { return }
                let batch = batches[index]
                let values = head(
                    encoder.firstTokenStates(batch.map { pairs[$0].ids }, tokenTypes: batch.map { pairs[$0].typeIDs }),
                    count: batch.count)
                results.withLock { all in
                    for (position, original) in batch.enumerated() { all[original] = values[position] }
                }
            }
        }
        return results.withLock { $0 }
    }

    /// Consecutive indices grouped into batches of at most `maxBatchTokens` tokens, and into at least
    /// `threads` batches when there are enough pairs: one question's candidates then split over the threads
    /// instead of leaving one idle.
    private func plan(_ lengths: [Int]) -> [[Int]] {
        let total = lengths.reduce(0, +)
        let limit = min(maxBatchTokens, max(1, (total + threads - 1) / threads))
        var batches: [[Int]] = []
        var current: [Int] = []
        var tokens = 0
        for (index, length) in lengths.enumerated() {
            if !current.isEmpty && tokens + length > limit {
                batches.append(current)
                current = []
                tokens = 0
            }
            current.append(index)
            tokens += length
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Pooler and classifier over `count` rows of `[CLS]` states: `W_c · tanh(W_p · h + b_p) + b_c`.
    private func head(_ states: [Float], count: Int) -> [Float] {
        let h = configuration.bert.hiddenSize
        var pooled = [Float](repeating: 0, count: count * h)
        for row in 0..<count {
            for j in 0..<h { pooled[row * h + j] = poolerBias[j] }
        }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(h), Int32(h), 1, states, Int32(h),
            poolerWeight, Int32(h), 1, &pooled, Int32(h))
        for i in 0..<pooled.count { pooled[i] = tanhf(pooled[i]) }
        var logits = [Float](repeating: classifierBias[0], count: count)
        cblas_sgemv(
            CblasRowMajor, CblasNoTrans, Int32(count), Int32(h), 1, pooled, Int32(h), classifierWeight, 1, 1,
            &logits, 1)
        return logits
    }
}
