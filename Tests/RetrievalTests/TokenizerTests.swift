import Retrieval
import Testing

@Suite struct TokenizerTests {
    let tokenizer = Tokenizer()

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
}
