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
