import Foundation
import TextAnalysis

/// An Okapi BM25 inverted index over documents with dense integer labels.
///
/// score(d, q) = sum over distinct query terms t of
///     idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + k1 * (1 - b + b * |d| / avgdl)),
/// with idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5)) (the Lucene form, never negative), N the number of
/// documents, |d| a document's token count and avgdl the mean over documents. Removing a document updates
/// N, df and avgdl exactly, so scores never depend on deleted text.
public struct BM25Index: Sendable {
    /// Term-frequency saturation.
    public let k1: Float
    /// Length normalisation.
    public let b: Float
    /// How texts and queries are split into terms.
    public let tokenizer: Tokenizer

    private struct Posting: Sendable {
        var label: UInt32
        var frequency: UInt32
    }

    private var postings: [String: [Posting]] = [:]
    private var lengths: [Int32] = []  // -1: no document under this label
    private var totalLength = 0
    /// Number of documents.
    public private(set) var documentCount = 0

    /// An empty index with the given BM25 parameters.
    public init(k1: Float = 0.9, b: Float = 0.4, tokenizer: Tokenizer = Tokenizer()) {
        self.k1 = k1
        self.b = b
        self.tokenizer = tokenizer
    }

    /// Indexes `text` under `label`, replacing nothing: the label must not hold a document.
    public mutating func add(label: UInt32, text: String) {
        add(label: label, tokens: tokenizer.tokens(text))
    }

    /// Indexes pre-computed tokens under `label`.
    public mutating func add(label: UInt32, tokens: [String]) {
        let index = Int(label)
        if index >= lengths.count { lengths += repeatElement(-1, count: index + 1 - lengths.count) }
        precondition(lengths[index] < 0, "label \(label) already holds a document")
        var counts: [String: UInt32] = [:]
        for token in tokens { counts[token, default: 0] += 1 }
        for (term, frequency) in counts {
            postings[term, default: []].append(Posting(label: label, frequency: frequency))
        }
        lengths[index] = Int32(tokens.count)
        totalLength += tokens.count
        documentCount += 1
    }

    /// Removes the document under `label`, whose text was `text`; a no-op if there is none.
    public mutating func remove(label: UInt32, text: String) {
        let index = Int(label)
        guard index < lengths.count, lengths[index] >= 0 else { return }
        for term in Set(tokenizer.tokens(text)) {
            guard var list = postings[term] else { continue }
            list.removeAll { $0.label == label }
            postings[term] = list.isEmpty ? nil : list
        }
        totalLength -= Int(lengths[index])
        lengths[index] = -1
        documentCount -= 1
    }

    /// The `k` best-scoring labels for `query` among those `filter` admits, best first. Documents sharing
    /// no term with the query are not returned.
    public func search(_ query: String, k: Int, filter: ((UInt32) -> Bool)? = nil) -> [(label: UInt32, score: Float)] {
        search(terms: tokenizer.tokens(query), k: k, filter: filter)
    }

    /// The `k` best-scoring labels for query terms already tokenized (each counted once).
    public func search(
        terms queryTerms: [String], k: Int, filter: ((UInt32) -> Bool)? = nil
    ) -> [(label: UInt32, score: Float)] {
        guard k > 0, documentCount > 0 else { return [] }
        // Sorted, so the scores sum in one order in every process: a Set's order changes from run to run, and with
        // it the last bit of a sum, which is enough to swap two passages of equal score.
        let terms = Set(queryTerms).sorted()
        let n = Float(documentCount)
        let averageLength = Float(totalLength) / n
        var scores = [Float](repeating: 0, count: lengths.count)
        var touched: [UInt32] = []
        for term in terms {
            guard let list = postings[term] else { continue }
            let df = Float(list.count)
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            for posting in list {
                let tf = Float(posting.frequency)
                let length = Float(lengths[Int(posting.label)])
                let norm = k1 * (1 - b + b * length / max(averageLength, 1e-9))
                if scores[Int(posting.label)] == 0 { touched.append(posting.label) }
                scores[Int(posting.label)] += idf * tf * (k1 + 1) / (tf + norm)
            }
        }
        var heap = DistanceHeap(capacity: k + 1)
        for label in touched {
            if let filter, !filter(label) { continue }
            // A max-heap on the negated score keeps the k highest scores; ties resolve to lower labels.
            let key = -scores[Int(label)]
            if heap.count < k {
                heap.push(key, label)
            } else if key < heap.topKey {
                heap.pop()
                heap.push(key, label)
            }
        }
        return heap.drainAscending().map { (label: $0.id, score: -$0.key) }
    }

    /// `ln(1 + (N - df + 0.5) / (df + 0.5))` of `term`, 0 for an unknown term.
    public func idf(_ term: String) -> Float {
        guard let list = postings[term], documentCount > 0 else { return 0 }
        let n = Float(documentCount)
        let df = Float(list.count)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }

    /// The number of documents containing `term` (a token as the tokenizer emits it).
    public func documentFrequency(_ term: String) -> Int { postings[term]?.count ?? 0 }
}
