import DocumentFixtures
import Documents
import EmbedCache
import Foundation
import Testing

/// The EU AI Act, from the Official Journal PDF and from the EUR-Lex HTML page.
@Suite struct AIActTests {
    static let romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]

    @Test(arguments: [Fixtures.aiActPDF, Fixtures.aiActHTML])
    func everyArticleRecitalAndAnnexIsAChunk(_ name: String) throws {
        let found = Set(try Fixtures.cache.chunks(name).compactMap(\.section).map(baseSection))
        let missingArticles = (1...113).filter { !found.contains("Article \($0)") }
        let missingRecitals = (1...180).filter { !found.contains("Recital \($0)") }
        let missingAnnexes = Self.romans.filter { !found.contains("Annex \($0)") }
        #expect(missingArticles.isEmpty, "\(name): no chunk for articles \(missingArticles)")
        #expect(missingRecitals.isEmpty, "\(name): no chunk for recitals \(missingRecitals)")
        #expect(missingAnnexes.isEmpty, "\(name): no chunk for annexes \(missingAnnexes)")
    }

    @Test(arguments: [Fixtures.aiActPDF, Fixtures.aiActHTML])
    func chunksKeepTheContract(_ name: String) throws {
        let document = try Fixtures.cache.document(name)
        let chunks = try Fixtures.cache.chunks(name)
        expectChunkInvariants(chunks, of: document)
        let tokenizer = try #require(Fixtures.tokenizer)
        for chunk in chunks.prefix(400) {
            #expect(chunk.tokenCount == tokenizer.pieceCount(chunk.text))
            #expect(tokenizer.encode(chunk.text).count == chunk.tokenCount + 2, "chunk \(chunk.ordinal) truncated")
        }
        // Annex titles may wrap onto an "Article 49" line; only article chunks are checked.
        for chunk in chunks where chunk.section?.hasPrefix("Article") == true {
            let headings = articleHeadings(in: chunk.text)
            #expect(headings.count <= 1, "chunk \(chunk.ordinal) spans \(headings)")
            if let heading = headings.first {
                #expect(
                    chunk.section.map(baseSection) == heading,
                    "chunk \(chunk.ordinal): \(heading) in \(chunk.section ?? "-")")
            }
        }
    }

    @Test func article6TitleIsOnPage53OfTheOfficialJournal() throws {
        let chunks = try Fixtures.cache.chunks(Fixtures.aiActPDF)
        let chunk = try #require(chunks.first { $0.text.contains("Classification rules for high-risk AI systems") })
        #expect(chunk.section == "Article 6")
        #expect(chunk.pageStart == 53)
        #expect(chunk.headingPath.last == "Article 6 Classification rules for high-risk AI systems")
        #expect(chunk.headingPath.first == "CHAPTER III HIGH-RISK AI SYSTEMS")
        // Paragraph 3 starts on page 54 and is its own unit.
        let paragraph3 = try #require(chunks.first { $0.text.hasPrefix("3.\nBy derogation from paragraph 2") })
        #expect(paragraph3.section == "Article 6(3)")
        #expect(paragraph3.pageStart == 54)
    }

    @Test func article6FromTheHTMLHasTheSameSectionAndNoPages() throws {
        let chunks = try Fixtures.cache.chunks(Fixtures.aiActHTML)
        let chunk = try #require(chunks.first { $0.text.contains("Classification rules for high-risk AI systems") })
        #expect(chunk.section == "Article 6")
        #expect(chunk.pageStart == nil)
        let recital = try #require(chunks.first { $0.section == "Recital 53" })
        #expect(recital.text.hasPrefix("(53) "))
    }

    @Test func runningHeadersFootnotesAndPageCountersAreGone() throws {
        let document = try Fixtures.cache.document(Fixtures.aiActPDF)
        let lines = document.text.split(separator: "\n")
        #expect(document.pages.count == 144)
        #expect(!lines.contains("OJ L, 12.7.2024"))
        #expect(lines.filter { $0 == "ELI: http://data.europa.eu/eli/reg/2024/1689/oj" }.count <= 1)
        #expect(!lines.contains { $0.range(of: #"^\d{1,3}/144$"#, options: .regularExpression) != nil })
        // The footnotes of page 1 ("OJ C 517, 22.12.2021, p. 56.") sit between recitals (3) and (4).
        #expect(!document.text.contains("OJ C 517, 22.12.2021, p. 56."))
        #expect(document.text.contains("consult the European Data Protection\nBoard."))
    }

    @Test func htmlLeaksNoMarkupScriptsOrEntities() throws {
        let document = try Fixtures.cache.document(Fixtures.aiActHTML)
        #expect(document.type == .html)
        #expect(document.title == "REGULATION (EU) 2024/1689 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL")
        for leak in ["<", ">", "&nbsp;", "&amp;", "&#", "ruxitagent", "oj-normal", "text/javascript", "{"] {
            #expect(!document.text.contains(leak), "\(leak) leaked into the text")
        }
        #expect(document.text.contains("Whereas:\n\n(1) The purpose of this Regulation"))
        #expect(document.text.contains("(a) the AI system is intended to be used as a safety component"))
    }
}
