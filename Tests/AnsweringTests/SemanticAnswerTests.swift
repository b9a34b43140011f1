import Testing

@testable import Answering

/// The extractive answer with sentences scored by the encoder as well as by shared terms
/// (``ExtractiveAnswerer/answer(question:passages:relevance:)``).
@Suite struct SemanticAnswerTests {
    static let question = "Can an app use hidden mind tricks to push people into decisions?"

    /// A passage that shares the learner's words and one that answers in the law's.
    static let passages = [
        Passage(
            number: 1, chunkID: "c1", documentID: "eu-ai-act", documentTitle: "EU AI Act", documentSource: "EUR-Lex",
            section: "Article 60(4)", chunkIndex: 1,
            text: """
                Providers of an app shall register the testing of people in real-world conditions before they take \
                decisions about the app.
                """, score: 1),
        Passage(
            number: 2, chunkID: "c2", documentID: "eu-ai-act", documentTitle: "EU AI Act", documentSource: "EUR-Lex",
            section: "Article 5(1)(a)", chunkIndex: 2,
            text: """
                The following AI practices shall be prohibited: (a) the placing on the market of an AI system that \
                deploys subliminal techniques beyond a person’s consciousness with the objective of materially \
                distorting the behaviour of a person.
                """, score: 0.9),
    ]

    /// A stand-in encoder: close for the sentence about subliminal techniques, far for the rest.
    static let scripted: StatementRelevance = { _, statements in
        statements.map { $0.contains("subliminal") ? 0.7 : 0.15 }
    }

    @Test func aSentenceTheEncoderFindsCloseIsQuotedThoughItSharesNoWord() async {
        let lexical = ExtractiveAnswerer().answer(question: Self.question, passages: Self.passages)
        #expect(!lexical.text.contains("subliminal"))
        let answer = await ExtractiveAnswerer().answer(
            question: Self.question, passages: Self.passages, relevance: Self.scripted)
        #expect(answer.text.contains("subliminal techniques"))
        #expect(answer.citedSources.contains(2))
    }

    @Test func aFailingEncoderGivesTheLexicalAnswer() async {
        struct Down: Error {}
        let failing: StatementRelevance = { _, _ in throw Down() }
        let answer = await ExtractiveAnswerer().answer(
            question: Self.question, passages: Self.passages, relevance: failing)
        #expect(answer == ExtractiveAnswerer().answer(question: Self.question, passages: Self.passages))
        let short: StatementRelevance = { _, _ in [0.9] }
        let mismatched = await ExtractiveAnswerer().answer(
            question: Self.question, passages: Self.passages, relevance: short)
        #expect(mismatched == ExtractiveAnswerer().answer(question: Self.question, passages: Self.passages))
    }

    @Test func theAnswererPassesItsRelevanceToTheExtractiveAnswer() async throws {
        let answer = try await Answerer(chat: nil, relevance: Self.scripted)
            .answer(question: Self.question, passages: Self.passages)
        #expect(answer.text.contains("subliminal techniques"))
        let plain = try await Answerer(chat: nil).answer(question: Self.question, passages: Self.passages)
        #expect(!plain.text.contains("subliminal"))
    }
}
