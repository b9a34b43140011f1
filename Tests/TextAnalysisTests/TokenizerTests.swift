import Testing
import TextAnalysis

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
