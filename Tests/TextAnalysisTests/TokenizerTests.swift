import Foundation
import Testing

@testable import TextAnalysis

@Suite struct TokenizerTests {
    /// Words as written, so the expectations below read as the text; stemming has its own test.
    let tokenizer = Tokenizer(stemming: false)

    @Test func lowercasesFoldsAccentsAndDropsStopwords() {
        #expect(
            tokenizer.tokens("The Données of São Paulo, and NAÏVE résumés") == [
                "donnees", "sao", "paulo", "naive", "resumes",
            ])
    }

    @Test func clauseIdentifiersStayWholeWithTheirParts() {
        let tokens = tokenizer.tokens("Article 6(1)(a) applies.")
        for expected in ["article", "6(1)(a)", "6(1)", "6", "1", "article 6(1)(a)", "article 6", "applies"] {
            #expect(tokens.contains(expected), "missing \(expected) in \(tokens)")
        }
        #expect(!tokens.contains("a"))
        let nist = tokenizer.tokens("See GOVERN 1.1 and GV-1.1-001; Annex III.")
        for expected in ["govern", "1.1", "govern 1.1", "gv-1.1-001", "gv", "001", "annex", "iii", "annex iii"] {
            #expect(nist.contains(expected), "missing \(expected) in \(nist)")
        }
        #expect(!nist.contains("iii."))
    }

    @Test func punctuationAroundIdentifiersIsTrimmed() {
        #expect(
            tokenizer.tokens("(see point (b), Article 10.)") == ["see", "point", "b", "article", "article 10", "10"])
        #expect(tokenizer.tokens("state-of-the-art e.g.") == ["state", "art", "e", "g"])
    }

    @Test func plainWordsAreStemmedAndIdentifiersAreNot() {
        let tokens = Tokenizer().tokens("Governing risks: providers governed high-risk systems under Article 6(1).")
        #expect(
            tokens == [
                "govern", "risk", "provid", "govern", "high", "risk", "system", "under", "articl",
                "article 6(1)", "article 6", "6(1)", "6", "1",
            ], "\(tokens)")
    }
}

/// The byte path taken for ASCII text must cut exactly the words the Unicode path cuts.
@Suite struct TokenizerASCIIPathTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func unicodeWords(_ text: String) -> [String] { Tokenizer.rawWords(Tokenizer.fold(text)) }

    static func asciiWords(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { Tokenizer.asciiWords($0) }
    }

    @Test func punctuationEdgeCasesCutAlike() throws {
        let cases = [
            "((a)", "6(1)).", "-(b)-", "__x__", "(", ")(", "a)(b", "Foo/Bar_Baz.", "..", "x--", "(1)(2))",
            "((6)", "Article 5(1)(a)-(h).", "GV-1.1-001;", "e.g.,", "(see", "end.)", "A.I.", "---", "(())",
            "MAP 1.1 (b) ((c)) ))d((", "Tab\there\nnew line", "",
        ]
        for text in cases {
            let ascii = try #require(Self.asciiWords(text))
            #expect(ascii == Self.unicodeWords(text), "\(text)")
        }
    }

    @Test func everyASCIILineOfTheBundledTextsCutsAlike() throws {
        var checked = 0
        for name in [
            "us-eo-14110_safe-secure-trustworthy-ai_2023-10-30.md",
            "oecd-recommendation-council-on-ai_2019_commonaccord.md",
            "us-nsm-ai_national-security-memorandum_2024-10-24.md",
        ] {
            let text = try String(contentsOf: Self.root.appendingPathComponent("corpus/\(name)"), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let line = String(line)
                guard let ascii = Self.asciiWords(line) else { continue }
                #expect(ascii == Self.unicodeWords(line), "\(line)")
                checked += 1
            }
        }
        #expect(checked > 1_000)
    }

    @Test func nonASCIITextTakesTheUnicodePath() {
        #expect(Self.asciiWords("Données") == nil)
        #expect(Tokenizer(stemming: false).tokens("Données ÉTÉ") == ["donnees", "ete"])
    }
}
