import Answering
import Testing

@Suite struct PromptBuilderTests {
    static func passage(_ number: Int, section: String? = nil, pages: (Int?, Int?) = (nil, nil), text: String = "Text.")
        -> Passage
    {
        Passage(
            number: number, chunkID: "c\(number)", documentID: "d", documentTitle: "NIST AI RMF 1.0",
            documentSource: "NIST", section: section, pageStart: pages.0, pageEnd: pages.1, chunkIndex: number,
            text: text, score: 1)
    }

    @Test func headingsNameTitleSectionAndPages() {
        #expect(PromptBuilder.heading(of: Self.passage(1)) == "[1] NIST AI RMF 1.0")
        #expect(PromptBuilder.heading(of: Self.passage(2, section: "GOVERN 1.1")) == "[2] NIST AI RMF 1.0 — GOVERN 1.1")
        #expect(
            PromptBuilder.heading(of: Self.passage(3, section: "MAP 2", pages: (4, 6)))
                == "[3] NIST AI RMF 1.0 — MAP 2 — p. 4–6")
        #expect(PromptBuilder.heading(of: Self.passage(4, pages: (7, 7))) == "[4] NIST AI RMF 1.0 — p. 7")
        #expect(PromptBuilder.heading(of: Self.passage(5, pages: (7, nil))) == "[5] NIST AI RMF 1.0 — p. 7")
    }

    @Test func systemAndUserMessagesWithNumberedSources() {
        let prompt = PromptBuilder().build(
            question: "  What is GOVERN 1.1?\n",
            passages: [Self.passage(1, section: "GOVERN 1.1", text: "Legal requirements are understood.")])
        #expect(prompt.messages.map(\.role) == [.system, .user])
        let system = prompt.messages[0].content
        #expect(system.contains("only"))
        #expect(system.contains("[1]"))
        #expect(system.contains("I cannot find the answer in the provided sources."))
        let user = prompt.messages[1].content
        #expect(user.contains("[1] NIST AI RMF 1.0 — GOVERN 1.1\nLegal requirements are understood."))
        #expect(user.contains("Question: What is GOVERN 1.1?\n"))
        #expect(prompt.includedSources == [1])
        #expect(prompt.omittedSources == [])
        // The source's own references are not handed over as markers the model could copy.
        let cited = PromptBuilder().build(
            question: "Why?", passages: [Self.passage(1, text: "Decision makers anchor on a first value [2].")])
        #expect(cited.messages[1].content.contains("[1] NIST AI RMF 1.0\nDecision makers anchor on a first value."))
    }

    @Test func theLowestRankedPassagesAreTrimmedToFitTheBudget() {
        let passages = (1...10).map { Self.passage($0, text: String(repeating: "word ", count: 200)) }
        let budget = PromptBuilder.systemInstructions.count + 3_500
        let prompt = PromptBuilder(characterBudget: budget).build(question: "q?", passages: passages)
        #expect(prompt.includedSources == [1, 2, 3])
        #expect(prompt.omittedSources == [4, 5, 6, 7, 8, 9, 10])
        #expect(prompt.messages.map(\.content.count).reduce(0, +) <= budget)
        #expect(!prompt.messages[1].content.contains("[4]"))
    }

    /// Operative provisions come first in the prompt, but every source keeps its retrieval number, which is
    /// its place in the API's citations: the answer's markers need no renumbering.
    @Test func operativeProvisionsAreListedFirstUnderTheirOwnNumbers() {
        let passages = [
            Self.passage(1, section: "Recital 53", text: "Recital text."),
            Self.passage(2, section: "Preamble", text: "Preamble text."),
            Self.passage(3, section: "Article 6(2)", text: "Article text."),
            Self.passage(4, section: "Introduction", text: "Introduction text."),
            Self.passage(5, section: "Annex III", text: "Annex text."),
            Self.passage(6, section: "GOVERN 1.1", text: "Govern text."),
        ]
        #expect(PromptBuilder.promptOrder(passages).map(\.number) == [3, 5, 6, 4, 1, 2])
        let prompt = PromptBuilder().build(question: "Which systems are high-risk?", passages: passages)
        let user = prompt.messages[1].content
        let order = ["[3] ", "[5] ", "[6] ", "[4] ", "[1] ", "[2] "].map { user.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(zip(order, order.dropFirst()).allSatisfy { $0! < $1! })
        #expect(user.contains("[3] NIST AI RMF 1.0 — Article 6(2)\nArticle text."))
        #expect(user.contains("[1] NIST AI RMF 1.0 — Recital 53\nRecital text."))
        #expect(prompt.includedSources == [1, 2, 3, 4, 5, 6])
        let system = prompt.messages[0].content
        #expect(system.contains("every sentence") && system.contains("name its number"))
    }

    /// Trimming still drops the lowest-ranked passages, not the recitals first: a recital ranked first is
    /// kept, and the numbers stay 1...k.
    @Test func trimmingFollowsRetrievalRankNotPromptOrder() {
        let long = String(repeating: "word ", count: 200)
        let passages = [
            Self.passage(1, section: "Recital 9", text: long), Self.passage(2, section: "Article 5", text: long),
            Self.passage(3, section: "Article 6", text: long), Self.passage(4, section: "Article 7", text: long),
        ]
        let budget = PromptBuilder.systemInstructions.count + 2_400
        let prompt = PromptBuilder(characterBudget: budget).build(question: "q?", passages: passages)
        #expect(prompt.includedSources == [1, 2])
        let user = prompt.messages[1].content
        #expect(user.range(of: "[2] ")!.lowerBound < user.range(of: "[1] ")!.lowerBound)
    }

    @Test func theBestPassageIsCutRatherThanDropped() {
        let passages = [Self.passage(1, text: String(repeating: "long ", count: 2_000)), Self.passage(2)]
        let budget = PromptBuilder.systemInstructions.count + 1_000
        let prompt = PromptBuilder(characterBudget: budget).build(question: "q?", passages: passages)
        #expect(prompt.includedSources == [1])
        #expect(prompt.messages.map(\.content.count).reduce(0, +) <= budget)
        #expect(prompt.messages[1].content.contains("[1] NIST AI RMF 1.0\nlong long"))
        #expect(prompt.messages[1].content.contains("…"))
    }
}
