import Testing

@testable import Answering

/// A what-is question that asks for no definition ("What is the maximum fine ...?").
@Suite struct NonDefinitionWhatIsTests {
    /// The answer is a lead-in with its list; it used to be skipped because "what is" made the question a
    /// definition question, though no passage defines "maximum fine", and the answer quoted list points alone.
    @Test func aWhatIsQuestionWithoutADefinitionQuotesTheLeadInWithItsList() {
        let passage = Passage(
            number: 1, chunkID: "c1", documentID: "eu-gdpr", documentTitle: "GDPR", documentSource: "EUR-Lex",
            section: "Article 83(5)", chunkIndex: 1,
            text: """
                Infringements of the following provisions shall be subject to administrative fines up to 20 000 000 \
                EUR, or in the case of an undertaking, up to 4 % of the total worldwide annual turnover of the \
                preceding financial year, whichever is higher: (a) the basic principles for processing, including \
                conditions for consent; (b) the data subjects' rights pursuant to Articles 12 to 22.
                """, score: 1)
        let answer = ExtractiveAnswerer().answer(
            question: "What is the maximum administrative fine for a company?", passages: [passage])
        #expect(answer.text.contains("up to 20 000 000 EUR"), "\(answer.text)")
        #expect(answer.text.contains("(a) the basic principles for processing"), "\(answer.text)")
    }
}
