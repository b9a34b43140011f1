import DocumentFixtures
import Documents
import Foundation
import Testing

@Suite struct MarkdownJSONTests {
    private func load(_ text: String, _ name: String) throws -> Document {
        try DocumentLoader().load(data: Data(text.utf8), fileName: name)
    }

    @Test func frontMatterBecomesMetadataAndHeadingsSections() throws {
        let markdown = """
            ---
            title: "Guidance on AI: \\"quoted\\" title"
            source_url: 'https://example.org/guidance'
            tags: policy
            ---
            Intro with a [link](https://example.org/x) and **bold** text.

            ## Section 2. Policy
            Policy text &amp; more.

            ### Details
            Detail text with ![a chart](chart.png).
            """
        let document = try load(markdown, "guidance.md")
        #expect(document.type == .markdown)
        #expect(document.metadata["tags"] == "policy")
        #expect(document.metadata["source_url"] == "https://example.org/guidance")
        #expect(document.url == "https://example.org/guidance")
        #expect(document.title == #"Guidance on AI: "quoted" title"#)
        #expect(!document.text.contains("---"))
        #expect(document.text.contains("Intro with a link and bold text."))
        #expect(document.text.contains("Policy text & more."))
        #expect(document.text.contains("Detail text with a chart."))
        let chunks = Chunker(counter: WhitespaceTokenCounter()).chunk(document)
        #expect(chunks.map(\.section) == [nil, "Section 2. Policy", "Details"])
        #expect(chunks.last?.headingPath == ["Section 2. Policy", "Details"])
        expectChunkInvariants(chunks, of: document)
    }

    @Test func foldedDoubleQuotedFrontMatter() throws {
        let markdown = #"""
            ---
            title: "Memorandum on Advancing the United\_States\u2019 Leadership in Artificial\
              \ Intelligence; Harnessing AI"
            note: 'it''s
              folded'
            ---
            Body.
            """#
        let document = try load(markdown, "nsm.md")
        let title = "Memorandum on Advancing the United States’ Leadership in Artificial Intelligence; Harnessing AI"
        // The document's title is the folded value's short form (cut at its ";"), for citations.
        #expect(document.title == ShortTitle.derive(title))
        #expect(document.title == "Memorandum on Advancing the United States’ Leadership in Artificial Intelligence")
        #expect(document.metadata["note"] == "it's folded")
        #expect(document.text == "Body.")
    }

    @Test func executiveOrderFixture() throws {
        let document = try Fixtures.cache.document(Fixtures.eo14179)
        #expect(document.title == "Removing Barriers to American Leadership in Artificial Intelligence")
        #expect(document.metadata["date"] == "2025-01-23")
        #expect(document.url?.hasPrefix("https://www.whitehouse.gov/presidential-actions/2025/01/") == true)
        #expect(!document.text.contains("<span"))
        let chunks = try Fixtures.cache.chunks(Fixtures.eo14179)
        #expect(["Sec. 1", "Sec. 2", "Sec. 5", "Sec. 6"].allSatisfy(sections(chunks).contains))
        expectChunkInvariants(chunks, of: document)
    }

    @Test func jsonShape() throws {
        let json = """
            {"title": "EO 14179", "source": "whitehouse.gov", "url": "https://example.gov/eo",
             "content": "# Order\\nSec. 1. Purpose. Text.", "metadata": {"year": 2025, "kind": "order"}}
            """
        let document = try load(json, "eo.json")
        #expect(document.type == .json)
        #expect(document.title == "EO 14179")
        #expect(document.source == "whitehouse.gov")
        #expect(document.url == "https://example.gov/eo")
        #expect(document.metadata == ["year": "2025", "kind": "order"])
        #expect(document.text == "Order\n\nSec. 1. Purpose. Text.")

        let other = #"[{"id": 1, "text_content": "Article 1"}]"#
        let error = try #require(throws: IngestError.self) { try load(other, "articles.json") }
        #expect(error.code == .unsupported)
        #expect(error.message.contains("articles.json"))
    }

    @Test func plainTextIsNormalised() throws {
        let document = try load("ﬁrst  line\u{00A0}with\u{00AD}soft\r\n\n\n\nsecond\tline\n", "notes.txt")
        #expect(document.type == .text)
        #expect(document.text == "first line withsoft\n\nsecond line")
        #expect(document.id == "notes.txt")
        #expect(document.title == "notes")
    }
}
