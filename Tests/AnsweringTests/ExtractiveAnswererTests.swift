import Testing

@testable import Answering

@Suite struct SentenceSplitterTests {
    @Test func plainSentences() {
        #expect(
            SentenceSplitter.sentences(in: "One sentence here. Another one! A question? Yes.")
                == ["One sentence here.", "Another one!", "A question?", "Yes."])
    }

    @Test func legalReferencesAndAbbreviationsStayWhole() {
        let text = """
            In accordance with Article 6(1), e.g. for systems listed in Annex III, the provider shall act. \
            See Art. 5 and No. 2 of Regulation (EU) 2016/679. The U.S. Department of Commerce and J. Smith agree. \
            Section 2.3 applies.
            """
        #expect(
            SentenceSplitter.sentences(in: text) == [
                "In accordance with Article 6(1), e.g. for systems listed in Annex III, the provider shall act.",
                "See Art. 5 and No. 2 of Regulation (EU) 2016/679.",
                "The U.S. Department of Commerce and J. Smith agree.", "Section 2.3 applies.",
            ])
    }

    @Test func enumeratorsOpenSentencesInsteadOfBeingOnes() {
        let text = "Article 9. 1. A risk management system shall be established. 2. It shall be updated. (a). The end."
        #expect(
            SentenceSplitter.sentences(in: text) == [
                "Article 9.", "1. A risk management system shall be established.", "2. It shall be updated.",
                "(a). The end.",
            ])
    }

    @Test func structureNumeralsEndSentences() {
        #expect(
            SentenceSplitter.sentences(in: "It is listed in Annex I. The provider registers it.")
                == ["It is listed in Annex I.", "The provider registers it."])
    }

    @Test func lineWrapsJoinAndBlankLinesSplit() {
        #expect(
            SentenceSplitter.sentences(in: "A heading\n\nThe text wraps\nacross lines. Next one.")
                == ["A heading", "The text wraps across lines.", "Next one."])
    }

    @Test func lowercaseAfterAPeriodDoesNotSplit() {
        #expect(
            SentenceSplitter.sentences(in: "Values are approx. ten percent.") == ["Values are approx. ten percent."])
        #expect(SentenceSplitter.sentences(in: "Ends here.”  Next.") == ["Ends here.”", "Next."])
    }

    @Test func longListsAreCutAtSemicolons() {
        let item = String(repeating: "the provider shall keep records ", count: 5)
        let text = "(a) \(item); (b) \(item); (c) \(item)."
        let sentences = SentenceSplitter.sentences(in: text)
        #expect(sentences.count == 3)
        #expect(sentences[0].hasPrefix("(a)") && sentences[0].hasSuffix(";"))
        #expect(sentences[2].hasPrefix("(c)"))
    }
}

@Suite struct ExtractiveAnswererTests {
    @Test func quotesTheBestMatchingSentencesWithCitations() {
        let answer = ExtractiveAnswerer().answer(
            question: "What must providers of high-risk AI systems establish?", passages: samplePassages())
        #expect(answer.matched)
        #expect(answer.citedSources == [1, 2])
        #expect(
            answer.text == """
                A risk management system shall be established, implemented, documented and maintained in relation \
                to high-risk AI systems. [1] The risk management system shall be understood as a continuous \
                iterative process planned and run throughout the entire lifecycle of a high-risk AI system, e.g. \
                through regular systematic review and updating. [1]

                Deployers of high-risk AI systems shall monitor the operation of the high-risk AI system on the \
                basis of the instructions for use. [2]
                """)
        #expect(GroundingCheck(text: answer.text, sourceCount: 3).grounded)
    }

    @Test func leadingEnumeratorsAreDroppedFromQuotes() {
        #expect(ExtractiveAnswerer.withoutEnumerator("2. The Commission shall act.") == "The Commission shall act.")
        #expect(ExtractiveAnswerer.withoutEnumerator("(a) the provider;") == "The provider;")
        #expect(ExtractiveAnswerer.withoutEnumerator("(12) Recital text.") == "Recital text.")
        #expect(ExtractiveAnswerer.withoutEnumerator("2016/679 applies.") == "2016/679 applies.")
    }

    @Test func clauseIdentifiersMatch() {
        let answer = ExtractiveAnswerer().answer(
            question: "What fines apply under Article 5?", passages: samplePassages())
        #expect(answer.citedSources == [3])
        #expect(answer.text.hasSuffix("EUR 35 000 000. [3]"))
    }

    @Test func nothingMatchingSaysSo() {
        let extractive = ExtractiveAnswerer()
        let unrelated = extractive.answer(question: "What is the capital of Peru?", passages: samplePassages())
        #expect(!unrelated.matched)
        #expect(unrelated.text == ExtractiveAnswerer.noMatchText)
        #expect(unrelated.citedSources.isEmpty)
        #expect(
            extractive.answer(question: "What is it?", passages: samplePassages()).text
                == ExtractiveAnswerer.noMatchText)
        #expect(extractive.answer(question: "risk management", passages: []).matched == false)
    }

    @Test func limitsSentencesAndPassages() {
        let extractive = ExtractiveAnswerer(maxSentences: 1)
        let answer = extractive.answer(question: "high-risk AI systems", passages: samplePassages())
        #expect(answer.citedSources.count == 1)
        #expect(!answer.text.contains("\n"))
    }

    @Test func stemmingMeetsWordForms() {
        #expect(ExtractiveAnswerer.stem("obligations") == ExtractiveAnswerer.stem("obligation"))
        #expect(ExtractiveAnswerer.stem("required") == ExtractiveAnswerer.stem("requires"))
        #expect(ExtractiveAnswerer.stem("processing") == ExtractiveAnswerer.stem("processes"))
        #expect(ExtractiveAnswerer.stem("policies") == "policy")
        #expect(ExtractiveAnswerer.stem("6(1)") == "6(1)")
    }
}
