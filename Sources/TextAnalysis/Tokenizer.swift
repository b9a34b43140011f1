import Foundation

/// The BM25 tokenizer: lowercases, folds accents, drops a small English stopword list, reduces plain words
/// to their Porter stems ("risks", "risky" -> "risk"), and keeps the clause identifiers of governance texts
/// whole so they can be searched as written.
///
/// BM25 postings are rebuilt from the stored texts whenever an index is opened, never persisted, so a
/// change here takes effect on the next open without a format change.
///
/// For an identifier it emits the whole form and its parts, so both the exact citation and its pieces match:
/// - `6(1)(a)` gives `6(1)(a)`, `6(1)`, `6`, `1` (`a` is a stopword);
/// - `GV-1.1-001` gives `gv-1.1-001`, `gv`, `1.1`, `001`;
/// - a structure keyword followed by a number or roman numeral also gives the pair: `Article 6` gives
///   `article`, `6`, `article 6`; `Article 6(1)` adds `article 6(1)` and `article 6`; `GOVERN 1.1` gives
///   `govern 1.1`; `Annex III` gives `annex iii`.
public struct Tokenizer: Sendable {
    /// Words too common to help ranking.
    public static let stopwords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have", "if", "in",
        "into", "is", "it", "its", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
        "they", "this", "those", "to", "was", "were", "which", "will", "with",
    ]

    /// Words that name a unit of structure when a number follows ("Article 6", "MEASURE 2.3").
    static let structureKeywords: Set<String> = [
        "article", "articles", "annex", "recital", "chapter", "section", "title", "part", "paragraph", "point",
        "appendix", "govern", "map", "measure", "manage", "subcategory", "category", "table", "figure",
    ]

    /// Keywords after which a roman numeral is an identifier ("Annex III", "Chapter IV").
    static let romanKeywords: Set<String> = ["annex", "chapter", "title", "part", "section", "appendix"]

    /// Whether plain words are replaced by their Porter stems.
    public let stemming: Bool

    /// The standard tokenizer; `stemming: false` keeps words as written (for comparisons).
    public init(stemming: Bool = true) {
        self.stemming = stemming
    }

    /// The tokens of `text`, in order, possibly repeated; compound identifiers come with their parts.
    public func tokens(_ text: String) -> [String] {
        let words = Self.words(text)
        var out: [String] = []
        out.reserveCapacity(words.count * 2)
        for (i, word) in words.enumerated() {
            Self.emit(word, stemming: stemming, into: &out)
            if Self.structureKeywords.contains(word), i + 1 < words.count {
                let next = words[i + 1]
                if Self.isIdentifier(next, after: word) {
                    out.append(word + " " + next)
                    if let paren = next.firstIndex(of: "("), paren != next.startIndex {
                        out.append(word + " " + next[..<paren])
                    }
                }
            }
        }
        return out
    }

    /// The folded raw words of `text`: ``rawWords(_:)`` of ``fold(_:)``, read straight from the bytes when the
    /// text is ASCII (every question typed in English, most passages), where folding is lowercasing and the
    /// Unicode property lookups and scalar views of the general path cost more than the rest of tokenizing.
    static func words(_ text: String) -> [String] {
        var text = text
        if let words = text.withUTF8({ asciiWords($0) }) { return words }
        return rawWords(fold(text))
    }

    /// ``rawWords(_:)`` of the lowercased bytes, or nil when a byte is not ASCII.
    static func asciiWords(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        @inline(__always) func isWordByte(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        }
        @inline(__always) func isConnectorByte(_ b: UInt8) -> Bool {
            b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "(") || b == UInt8(ascii: ")")
                || b == UInt8(ascii: "/") || b == UInt8(ascii: "_")
        }
        var words: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(32)
        func flush() {
            if let range = wordRange(
                current, open: UInt8(ascii: "("), close: UInt8(ascii: ")"), isConnector: isConnectorByte,
                isWord: isWordByte)
            {
                words.append(String(decoding: current[range], as: UTF8.self))
            }
            current.removeAll(keepingCapacity: true)
        }
        for byte in bytes {
            guard byte < 0x80 else { return nil }
            let b = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            if isWordByte(b) || isConnectorByte(b) {
                current.append(b)
            } else if !current.isEmpty {
                flush()
            }
        }
        if !current.isEmpty { flush() }
        return words
    }

    /// Lowercases and removes combining marks after canonical decomposition ("Données" -> "donnees").
    static func fold(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            scalars.append(scalar)
        }
        return String(scalars)
    }

    private static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || s.properties.numericType != nil
    }

    private static func isConnector(_ s: Unicode.Scalar) -> Bool {
        s == "." || s == "-" || s == "(" || s == ")" || s == "/" || s == "_"
    }

    /// Maximal runs of letters, digits and connectors, with connectors trimmed from the ends and
    /// unbalanced parentheses removed ("(b)," stays "(b)", "6(1)." becomes "6(1)", "(see" becomes "see").
    static func rawWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            defer { current = String.UnicodeScalarView() }
            let scalars = Array(current)
            guard let range = wordRange(scalars, open: "(", close: ")", isConnector: isConnector, isWord: isWordScalar)
            else { return }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            words.append(String(view))
        }
        for scalar in text.unicodeScalars {
            if isWordScalar(scalar) || isConnector(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                flush()
            }
        }
        if !current.isEmpty { flush() }
        return words
    }

    /// The word inside a run of word characters and connectors, shared by the scalar and the byte path:
    /// connectors trimmed from both ends (an opening parenthesis kept at the start, a closing one at the end),
    /// then the unbalanced parentheses at the ends dropped, then connectors trimmed again; nil when no word
    /// character is left.
    @inline(__always)
    private static func wordRange<Element: Equatable>(
        _ run: [Element], open: Element, close: Element, isConnector: (Element) -> Bool, isWord: (Element) -> Bool
    ) -> Range<Int>? {
        var lo = 0
        var hi = run.count
        func trimConnectors() {
            while lo < hi, isConnector(run[lo]), run[lo] != open { lo += 1 }
            while hi > lo, isConnector(run[hi - 1]), run[hi - 1] != close { hi -= 1 }
        }
        trimConnectors()
        var opens = 0
        var closes = 0
        for index in lo..<hi {
            if run[index] == open { opens += 1 } else if run[index] == close { closes += 1 }
        }
        while lo < hi, run[lo] == open, opens > closes {
            lo += 1
            opens -= 1
        }
        while hi > lo, run[hi - 1] == close, closes > opens {
            hi -= 1
            closes -= 1
        }
        trimConnectors()
        return (lo..<hi).contains { isWord(run[$0]) } ? lo..<hi : nil
    }

    /// Adds the tokens of one raw word: a plain word as itself (unless a stopword); an identifier with
    /// digits whole plus its parts; other punctuated words ("e.g.", "state-of-the-art") as their parts.
    private static func emit(_ word: String, stemming: Bool, into out: inout [String]) {
        let hasConnector = word.unicodeScalars.contains(where: isConnector)
        if !hasConnector {
            if !stopwords.contains(word) { out.append(stemming ? PorterStemmer.stem(word) : word) }
            return
        }
        let hasDigit = word.unicodeScalars.contains { $0.properties.numericType != nil }
        if hasDigit {
            out.append(word)
            // Prefixes of a parenthesised chain: "6(1)(a)" -> "6(1)", so a query for "6(1)" finds it.
            var depth = 0
            var prefixEnds: [String.Index] = []
            for index in word.indices {
                if word[index] == "(" { depth += 1 }
                if word[index] == ")" {
                    depth -= 1
                    if depth == 0 && word.index(after: index) != word.endIndex { prefixEnds.append(index) }
                }
            }
            for end in prefixEnds { out.append(String(word[...end])) }
            // Parts split at hyphens, slashes and parentheses; dots stay, so "1.1" remains one part.
            let parts = word.split(whereSeparator: { "-/()_".contains($0) }).map(String.init)
            if parts.count > 1 {
                for part in parts where !stopwords.contains(part) { out.append(part) }
            }
        } else {
            for part in word.split(whereSeparator: { ".-/()_".contains($0) }).map(String.init)
            where !stopwords.contains(part) {
                out.append(stemming ? PorterStemmer.stem(part) : part)
            }
        }
    }

    private static func isIdentifier(_ word: String, after keyword: String) -> Bool {
        guard let first = word.unicodeScalars.first else { return false }
        if first.properties.numericType != nil { return true }
        if romanKeywords.contains(keyword), word.count <= 7 {
            return word.allSatisfy { "ivxlc".contains($0) }
        }
        return false
    }
}
