import Foundation
import TextAnalysis

/// BM25 written as sparse vectors, for a search engine that scores a query against documents by a sparse dot
/// product with an inverse-document-frequency modifier (Qdrant's sparse vectors with `modifier: idf`,
/// ARCHITECTURE.md, "Hybrid search inside Qdrant").
///
/// ``BM25Index`` scores `sum over distinct query terms t of idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + norm(d))`.
/// Split the way the engine computes it:
/// - a document's vector holds, per term, the part that depends on the document alone:
///   `tf * (k1 + 1) / (tf + k1 * (1 - b + b * |d| / averageLength))`;
/// - a query's vector holds 1 per distinct term;
/// - the engine multiplies each matching term by `ln(1 + (N - df + 0.5) / (df + 0.5))`, computed over the points
///   it holds, which is the same IDF as ``BM25Index``'s.
/// So `dot(query, document)` weighted by the engine's IDF is the local BM25 score, with one difference: the
/// average length is a number fixed when the collection is built (``averageLength``) rather than the live mean,
/// because a point's vector cannot be rewritten every time another document arrives.
///
/// Terms are the ``Tokenizer``'s (the same stemming and stopwords as the local index) mapped to 32-bit ids by
/// FNV-1a. Two terms may share an id (about one pair among 50,000 distinct terms in a 2^32 space is likely);
/// their weights then add up, as if the two words were one.
public struct SparseBM25: Sendable, Equatable {
    /// A sparse vector: ids ascending and unique, one weight each.
    public struct Vector: Sendable, Equatable {
        public var indices: [UInt32]
        public var values: [Float]

        /// A vector with these entries (the caller keeps ids ascending and unique).
        public init(indices: [UInt32], values: [Float]) {
            self.indices = indices
            self.values = values
        }

        public var isEmpty: Bool { indices.isEmpty }
    }

    /// Term-frequency saturation (``BM25Index/k1``).
    public var k1: Float
    /// Length normalisation (``BM25Index/b``).
    public var b: Float
    /// Mean document length in terms, fixed when the collection is built.
    public var averageLength: Float
    /// Whether terms are Porter stems (`BM25_STEMMING`).
    public var stemming: Bool

    /// The encoder with ``BM25Index``'s default parameters.
    public init(k1: Float = 0.9, b: Float = 0.4, averageLength: Float, stemming: Bool = true) {
        self.k1 = k1
        self.b = b
        self.averageLength = averageLength > 0 && averageLength.isFinite ? averageLength : Self.defaultAverageLength
        self.stemming = stemming
    }

    /// The mean used when a collection is built before any chunk exists: about the mean of the bundled corpus's
    /// chunks (83.4 terms, heading and text, stopwords left out).
    public static let defaultAverageLength: Float = 85

    /// A document's vector: the BM25 term-frequency weight of each of its terms.
    public func document(_ text: String) -> Vector {
        document(tokens: Tokenizer(stemming: stemming).tokens(text))
    }

    /// A document's vector from its tokens.
    public func document(tokens: [String]) -> Vector {
        var counts: [UInt32: Float] = [:]
        for token in tokens { counts[Self.termID(token), default: 0] += 1 }
        let norm = k1 * (1 - b + b * Float(tokens.count) / averageLength)
        let sorted = counts.sorted { $0.key < $1.key }
        return Vector(indices: sorted.map(\.key), values: sorted.map { $0.value * (k1 + 1) / ($0.value + norm) })
    }

    /// A query's vector: 1 for each distinct term (a repeated term counts once, as in ``BM25Index``).
    public func query(_ text: String) -> Vector {
        let ids = Set(Tokenizer(stemming: stemming).tokens(text).map(Self.termID)).sorted()
        return Vector(indices: ids, values: Array(repeating: 1, count: ids.count))
    }

    /// The number of terms ``document(_:)`` counts for `text` (its length for ``averageLength``).
    public func length(_ text: String) -> Int { Tokenizer(stemming: stemming).tokens(text).count }

    /// FNV-1a over the term's UTF-8 bytes: stable across processes, machines and versions, which the ids must
    /// be, since points written by one replica are queried by another.
    public static func termID(_ term: String) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in term.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }
}
