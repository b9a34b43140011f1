import Evaluation
import Testing

/// Section-level judging: which chunk sections answer which provisions.
@Suite struct ProvisionKeyTests {
    func matches(_ section: String, _ provision: String) -> Bool {
        guard let chunk = ProvisionKey(section), let wanted = ProvisionKey(provision) else { return false }
        return chunk.matches(wanted)
    }

    @Test func articlesMatchOnTheirNumberWhateverTheParagraph() {
        #expect(matches("Article 5", "Article 5(1)(f)"))
        #expect(matches("Article 5(1)", "Article 5(1)(f)"))
        #expect(matches("Article 5(3)", "Article 5(1)(a)"))
        #expect(!matches("Article 50", "Article 5(1)"))
        #expect(!matches("Recital 5", "Article 5"))
        #expect(matches("Recital 44", "Recital 44"))
    }

    @Test func annexPointsAreSeparateProvisions() {
        #expect(matches("Annex III, point 4", "Annex III point 4(a)"))
        #expect(!matches("Annex III, point 5", "Annex III point 4(a)"))
        #expect(matches("Annex III", "Annex III point 4(a)"))
        #expect(!matches("Annex II", "Annex III point 4(a)"))
    }

    @Test func nistSubcategoriesAndDottedSections() {
        #expect(matches("GOVERN 1.1", "GOVERN 1.1"))
        #expect(!matches("GOVERN 1.10", "GOVERN 1.1"))
        #expect(matches("2.2 Confabulation", "Section 2.2 Confabulation"))
        #expect(!matches("2.3 Dangerous, Violent, or Hateful Content", "Section 2.2 Confabulation"))
        #expect(!matches("2.20 Other", "Section 2.2"))
        #expect(matches("Sec. 3", "Section 3(k)"))
        #expect(matches("Sec. 5", "Section 5.1(a)"))
        #expect(!matches("4.1 Developing Guidelines", "Section 4.2(b)(i)"))
        #expect(matches("5 Glossary", "Section 5 Glossary (automation complacency)"))
        // The OECD numbers its principles and recommendations as sections of its text.
        #expect(matches("1.3 Transparency and explainability", "Principle 1.3 Transparency and explainability"))
        #expect(!matches("1.2 Human-centred values and fairness", "Principle 1.3 Transparency and explainability"))
        #expect(matches("2.4 Building human capacity", "Recommendation 2.4 Building human capacity"))
    }

    @Test func unnumberedProvisionsCompareTitles() {
        #expect(matches("About the Playbook", "About the Playbook"))
        #expect(!matches("6 AI RMF Profiles", "Executive Summary"))
        #expect(ProvisionKey("") == nil)
    }

    @Test func sectionNDCGIsOneOverLogOfTheFirstRelevantRank() {
        #expect(QuestionSummary.ndcgAt10(firstRelevant: 1) == 1)
        #expect(abs(QuestionSummary.ndcgAt10(firstRelevant: 3) - 0.5) < 1e-12)
        #expect(QuestionSummary.ndcgAt10(firstRelevant: 11) == 0)
        #expect(QuestionSummary.ndcgAt10(firstRelevant: nil) == 0)
        let summary = QuestionSummary(ranks: [1, nil], sectionRanks: [1, 3])
        #expect(summary.sectionNDCGAt10 == 0.75)
        #expect(summary.sectionJudged == 2)
        let passages: [(documentID: String, section: String?)] = [
            ("other", "Article 5"), ("act", "Recital 5"), ("act", nil), ("act", "Article 5(2)"),
        ]
        #expect(SectionMatcher.firstMatch(passages: passages, document: "act", provision: "Article 5(1)(a)") == 4)
    }
}
