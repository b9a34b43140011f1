import Foundation

/// Splits passage text into sentences for the extractive answer, without cutting legal references apart.
///
/// A sentence ends at `.`, `!` or `?` (and closing quotes or brackets after it) followed by a space and a
/// capital, digit or opening bracket or quote; blank lines end sentences too, while single line breaks (PDF
/// line wrapping) do not. A period does not end a sentence after a known abbreviation (`e.g.`, `Art.`,
/// `No.`, `pp.`), an initial or dotted abbreviation (`J.`, `U.S.`), or an enumerator that opens the sentence
/// (`2. The Commission shall ...`, `(a).`, `IV.`). Periods inside tokens (`1.1`, `2016/679.`) never end one,
/// and `Article 6(1)` has no period to cut. Sentences longer than ``longSentence`` characters are cut after
/// `;`, which is how legal lists run on.
enum SentenceSplitter {
    /// Length beyond which a sentence is cut at semicolons.
    static let longSentence = 400

    /// Lower-cased words (without their period) after which a period is not a sentence end.
    static let abbreviations: Set<String> = [
        "e.g", "i.e", "cf", "vs", "viz", "al", "art", "arts", "no", "nos", "para", "paras", "p", "pp", "sec",
        "ch", "fig", "vol", "ed", "eds", "mr", "mrs", "ms", "dr", "prof", "st", "inc", "ltd", "co", "corp", "jr",
        "sr", "approx", "incl", "op", "ibid", "et", "subpara", "rec", "reg", "dir", "ann",
    ]

    /// The sentences of `text`, trimmed, in order.
    static func sentences(in text: String) -> [String] {
        var result: [String] = []
        for block in blocks(of: text) {
            for sentence in split(block) {
                result.append(contentsOf: sentence.count > longSentence ? cutAtSemicolons(sentence) : [sentence])
            }
        }
        return result
    }

    /// Blank-line separated blocks with line breaks and runs of spaces folded to one space.
    private static func blocks(of text: String) -> [String] {
        GroundingCheck.paragraphs(of: text).map { paragraph in
            paragraph.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
    }

    private static let closers: Set<Character> = ["\"", "'", "”", "’", ")", "]", "»"]

    private static func split(_ block: String) -> [String] {
        let characters = Array(block)
        var sentences: [String] = []
        var start = 0
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "." || character == "!" || character == "?" else {
                index += 1
                continue
            }
            var end = index + 1
            while end < characters.count, closers.contains(characters[end]) { end += 1 }
            guard end + 1 < characters.count, characters[end] == " ", startsSentence(characters[end + 1]),
                character != "." || !isNonTerminalPeriod(characters, period: index, sentenceStart: start)
            else {
                index = end
                continue
            }
            appendTrimmed(characters[start..<end], to: &sentences)
            start = end + 1
            index = start
        }
        appendTrimmed(characters[start...], to: &sentences)
        return sentences
    }

    private static func appendTrimmed(_ characters: ArraySlice<Character>, to sentences: inout [String]) {
        let sentence = String(characters).trimmingCharacters(in: .whitespaces)
        if !sentence.isEmpty { sentences.append(sentence) }
    }

    private static func startsSentence(_ character: Character) -> Bool {
        character.isUppercase || character.isNumber || "([\"'“‘«".contains(character)
    }

    /// Whether the period at `period` belongs to an abbreviation, an initial or a leading enumerator.
    private static func isNonTerminalPeriod(_ characters: [Character], period: Int, sentenceStart: Int) -> Bool {
        var wordStart = period
        while wordStart > sentenceStart, characters[wordStart - 1] != " " { wordStart -= 1 }
        var word = String(characters[wordStart..<period])
        while let first = word.first, "([\"'“‘«".contains(first) { word.removeFirst() }
        let lower = word.lowercased()
        if word.isEmpty || abbreviations.contains(lower) { return true }
        // "Annex I." and "Chapter V." end sentences: after a structure word the letter is a numeral.
        if previousWord(characters, before: wordStart, sentenceStart: sentenceStart).map(structureWords.contains)
            == true
        {
            return false
        }
        // An initial ("J.") or dotted abbreviation ("U.S", "e.g" of "e.g.").
        let segments = lower.split(separator: ".", omittingEmptySubsequences: false)
        if segments.allSatisfy({ $0.count == 1 && $0.allSatisfy(\.isLetter) }) { return true }
        // An enumerator opening the sentence: "2.", "(a).", "IV.", "b)."
        let isFirstWord = characters[sentenceStart..<wordStart].allSatisfy(\.isWhitespace)
        if isFirstWord {
            let bare = word.filter { $0 != "(" && $0 != ")" }
            if !bare.isEmpty, bare.count <= 4,
                bare.allSatisfy(\.isNumber) || bare.allSatisfy({ "ivxlcIVXLC".contains($0) }) || bare.count == 1
            {
                return true
            }
        }
        return false
    }

    private static let structureWords: Set<String> = [
        "annex", "chapter", "title", "part", "section", "article", "appendix", "point", "paragraph", "recital",
    ]

    private static func previousWord(_ characters: [Character], before wordStart: Int, sentenceStart: Int) -> String? {
        var end = wordStart
        while end > sentenceStart, characters[end - 1] == " " { end -= 1 }
        var start = end
        while start > sentenceStart, characters[start - 1] != " " { start -= 1 }
        return start < end ? String(characters[start..<end]).lowercased() : nil
    }

    private static func cutAtSemicolons(_ sentence: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in sentence {
            current.append(character)
            if character == ";" {
                pieces.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespaces)
        if !rest.isEmpty { pieces.append(rest) }
        return pieces
    }
}
