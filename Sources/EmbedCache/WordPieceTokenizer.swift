import Foundation

/// A BERT WordPiece tokenizer that gives the same ids as the reference `tokenizers` BertNormalizer,
/// BertPreTokenizer and WordPiece model for uncased BERT vocabularies.
///
/// Pipeline (each step pinned by `fixtures/minilm/tokenizer_cases.jsonl`):
/// 0. the literal special tokens `[PAD] [UNK] [CLS] [SEP] [MASK]` are split out, case-sensitively, before
///    anything else, even inside a word;
/// 1. control and format characters are dropped, white space becomes U+0020;
/// 2. CJK ideographs are padded with spaces;
/// 3. NFD, then nonspacing marks are dropped (only when lowercasing, as BERT does);
/// 4. per-scalar, context-free lowercasing;
/// 5. split on white space, every punctuation scalar its own word;
/// 6. greedy longest-match WordPiece with `##` continuations; a word over 100 scalars, or one with any
///    piece missing from the vocabulary, becomes `[UNK]`;
/// 7. at most `maxLength - 2` pieces are kept, then `[CLS]` and `[SEP]` are added.
public struct WordPieceTokenizer: Sendable {
    /// The id of `[CLS]`.
    public let clsID: Int32
    /// The id of `[SEP]`.
    public let sepID: Int32
    /// The id of `[PAD]`.
    public let padID: Int32
    /// The id of `[UNK]`.
    public let unkID: Int32
    /// The longest sequence produced, special tokens included.
    public let maxLength: Int
    /// Whether text is lowercased and stripped of accents (uncased models).
    public let lowercase: Bool
    /// The number of entries in the vocabulary.
    public let vocabularySize: Int

    // Keyed by UTF-8 bytes rather than `String`: `String` equality is canonical equivalence, which would
    // match vocabulary entries the reference tokenizer (byte-exact) does not.
    private let ids: [[UInt8]: Int32]
    private let specials: [(name: [Unicode.Scalar], id: Int32)]

    private static let maxWordScalars = 100
    private static let continuation: [UInt8] = Array("##".utf8)

    /// Loads `vocab.txt` (one token a line; the line number is the id).
    public init(vocabularyFile: URL, maxLength: Int = 256, lowercase: Bool = true) throws {
        let data: Data
        do {
            data = try Data(contentsOf: vocabularyFile)
        } catch {
            throw EmbedError(.modelFileMissing, "cannot read vocabulary \(vocabularyFile.path): expected vocab.txt")
        }
        var tokens: [[UInt8]] = []
        var line: [UInt8] = []
        for byte in data {
            if byte == UInt8(ascii: "\n") {
                tokens.append(line)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        if !line.isEmpty { tokens.append(line) }
        try self.init(vocabulary: tokens, maxLength: maxLength, lowercase: lowercase, origin: vocabularyFile.path)
    }

    /// Builds a tokenizer from vocabulary entries in id order.
    public init(vocabulary: [String], maxLength: Int = 256, lowercase: Bool = true) throws {
        try self.init(
            vocabulary: vocabulary.map { Array($0.utf8) }, maxLength: maxLength, lowercase: lowercase,
            origin: "vocabulary")
    }

    private init(vocabulary: [[UInt8]], maxLength: Int, lowercase: Bool, origin: String) throws {
        guard maxLength >= 2 else {
            throw EmbedError(.unsupportedModel, "maximum sequence length \(maxLength) leaves no room for text")
        }
        var ids: [[UInt8]: Int32] = [:]
        ids.reserveCapacity(vocabulary.count)
        for (index, token) in vocabulary.enumerated() where ids[token] == nil {
            ids[token] = Int32(index)
        }
        func id(_ name: String) throws -> Int32 {
            guard let value = ids[Array(name.utf8)] else {
                throw EmbedError(
                    .modelFileCorrupt, "\(origin) has no \(name) token: expected a BERT WordPiece vocabulary")
            }
            return value
        }
        clsID = try id("[CLS]")
        sepID = try id("[SEP]")
        padID = try id("[PAD]")
        unkID = try id("[UNK]")
        specials = try ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map { (Array($0.unicodeScalars), try id($0)) }
        self.ids = ids
        self.maxLength = maxLength
        self.lowercase = lowercase
        self.vocabularySize = vocabulary.count
    }

    /// The ids of `text`, `[CLS]` first and `[SEP]` last, truncated to `maxLength`.
    public func encode(_ text: String) -> [Int32] {
        [clsID] + pieces(text, budget: maxLength - 2) + [sepID]
    }

    /// The number of word pieces in `text` without `[CLS]`, `[SEP]` or truncation: what a chunker needs to
    /// fill the encoder's window (at most `maxLength - 2` pieces) exactly.
    public func pieceCount(_ text: String) -> Int {
        pieces(text, budget: .max).count
    }

    /// The word pieces of `text` without special tokens, at most `budget` of them (the first ones).
    func pieces(_ text: String, budget: Int) -> [Int32] {
        var pieces: [Int32] = []
        splitSpecials(text) { segment, specialID in
            if pieces.count >= budget { return }
            if let specialID {
                pieces.append(specialID)
            } else {
                appendPieces(of: segment, to: &pieces, budget: budget)
            }
        }
        if pieces.count > budget { pieces.removeSubrange(budget...) }
        return pieces
    }

    /// The text after the normaliser (steps 1-4) applied to the whole input, special tokens included, as the
    /// reference's `normalized` field shows it.
    public func normalize(_ text: String) -> String {
        String(String.UnicodeScalarView(normalizeScalars(Array(text.unicodeScalars)[...])))
    }

    // MARK: - Pipeline

    /// Calls `body` with each run of ordinary text (id nil) and each special token (with its id), in order.
    private func splitSpecials(_ text: String, _ body: (ArraySlice<Unicode.Scalar>, Int32?) -> Void) {
        let scalars = Array(text.unicodeScalars)
        var start = 0
        var i = 0
        while i < scalars.count {
            if scalars[i] == "[", let match = specialMatch(scalars, at: i) {
                if start < i { body(scalars[start..<i], nil) }
                body(scalars[i..<(i + match.length)], match.id)
                i += match.length
                start = i
            } else {
                i += 1
            }
        }
        if start < scalars.count { body(scalars[start...], nil) }
    }

    private func specialMatch(_ scalars: [Unicode.Scalar], at index: Int) -> (length: Int, id: Int32)? {
        for special in specials where index + special.name.count <= scalars.count {
            if scalars[index..<(index + special.name.count)].elementsEqual(special.name) {
                return (special.name.count, special.id)
            }
        }
        return nil
    }

    private func normalizeScalars(_ segment: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var cleaned: [Unicode.Scalar] = []
        cleaned.reserveCapacity(segment.count)
        var ascii = true
        for scalar in segment {
            if UnicodeTables.cleanRemoved.contains(scalar) { continue }
            if UnicodeTables.cleanToSpace.contains(scalar) {
                cleaned.append(" ")
            } else if UnicodeTables.chinesePadded.contains(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
                ascii = false
            } else {
                if !scalar.isASCII { ascii = false }
                cleaned.append(scalar)
            }
        }
        guard lowercase else { return cleaned }
        if ascii {
            return cleaned.map { $0.value >= 65 && $0.value <= 90 ? Unicode.Scalar($0.value + 32)! : $0 }
        }
        let decomposed = String(String.UnicodeScalarView(cleaned)).decomposedStringWithCanonicalMapping
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(cleaned.count)
        for scalar in decomposed.unicodeScalars where !UnicodeTables.stripAccentsRemoved.contains(scalar) {
            if scalar.isASCII {
                out.append(scalar.value >= 65 && scalar.value <= 90 ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    private func appendPieces(of segment: ArraySlice<Unicode.Scalar>, to pieces: inout [Int32], budget: Int) {
        let scalars = normalizeScalars(segment)
        var word: [Unicode.Scalar] = []
        func flush() {
            if !word.isEmpty {
                appendWordPieces(word, to: &pieces)
                word.removeAll(keepingCapacity: true)
            }
        }
        for scalar in scalars {
            if pieces.count >= budget { return }
            if UnicodeTables.whitespace.contains(scalar) {
                flush()
            } else if UnicodeTables.punctuation.contains(scalar) {
                flush()
                word.append(scalar)
                flush()
            } else {
                word.append(scalar)
            }
        }
        flush()
    }

    private func appendWordPieces(_ word: [Unicode.Scalar], to pieces: inout [Int32]) {
        if word.count > Self.maxWordScalars {
            pieces.append(unkID)
            return
        }
        // UTF-8 bytes of the word and the byte offset where each scalar starts (plus the end).
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        for scalar in word {
            offsets.append(bytes.count)
            bytes.append(contentsOf: UTF8.encode(scalar)!)
        }
        offsets.append(bytes.count)

        var found: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var match: Int32?
            while end > start {
                var key = start > 0 ? Self.continuation : []
                key.append(contentsOf: bytes[offsets[start]..<offsets[end]])
                if let id = ids[key] {
                    match = id
                    break
                }
                end -= 1
            }
            guard let id = match else {
                pieces.append(unkID)
                return
            }
            found.append(id)
            start = end
        }
        pieces.append(contentsOf: found)
    }
}

extension WordPieceTokenizer {
    /// The tokenizer of the model in `directory`, with its sequence length and casing, without loading the
    /// weights.
    public init(modelDirectory directory: URL) throws {
        let configuration = try BertConfiguration(directory: directory)
        try self.init(
            vocabularyFile: directory.appendingPathComponent("vocab.txt"),
            maxLength: configuration.maxSequenceLength, lowercase: configuration.lowercase)
    }
}
