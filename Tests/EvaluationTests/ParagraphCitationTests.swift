import Evaluation
import Testing

@Suite struct ParagraphCitationTests {
    @Test func onlyAnArticlesParagraphIsJudged() {
        #expect(ParagraphCitation.paragraph(of: "Article 5(1)(f)") == "Article 5(1)")
        #expect(ParagraphCitation.paragraph(of: " Article 26(7)") == "Article 26(7)")
        #expect(ParagraphCitation.paragraph(of: "Article 85") == nil)
        #expect(ParagraphCitation.paragraph(of: "Annex III point 4(a)") == nil)
        #expect(ParagraphCitation.paragraph(of: "GOVERN 1.1") == nil)
        #expect(ParagraphCitation.paragraph(of: "Section 4.2(a)(ii)") == nil)
    }

    @Test func theLabelMustStandBeforeAQuote() {
        let answer =
            "Article 26(6): Deployers shall keep the logs. [1] Article 26(7): Before putting into service ... [1]"
        #expect(ParagraphCitation.names("Article 26(7)", in: answer) == true)
        // The article alone, or the paragraph only mentioned inside a quote, does not name it.
        #expect(
            ParagraphCitation.names("Article 26(7)", in: "Article 26: Before putting into service ... [1]") == false)
        #expect(
            ParagraphCitation.names("Article 6(1)", in: "Article 71: systems referred to in Article 6(1) [1]") == false)
        #expect(ParagraphCitation.names("Article 85", in: answer) == nil)
    }
}
