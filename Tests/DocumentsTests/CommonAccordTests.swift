import DocumentFixtures
import Documents
import Foundation
import Testing

/// The OECD Recommendation on AI (`corpus/`, a CommonAccord prose object): passages read as the rendered text,
/// without keys, templates or references, and its numbered sections and definitions are sections.
@Suite struct CommonAccordTests {
    static let name = "oecd-recommendation-council-on-ai_2019_commonaccord.md"

    @Test func keysAndTemplatesAreGoneAndSectionsAreLabelled() throws {
        let document = try Fixtures.cache.document(Self.name)
        let chunks = try Fixtures.cache.chunks(Self.name)
        #expect(document.title == "Recommendation of the Council on Artificial Intelligence")
        for marker in [".sec=", ".Ti=", "[G/Z", "{Def", "{Preamble", "<b>"] {
            #expect(!document.text.contains(marker), "\(marker) left in the text")
        }
        let found = sections(chunks)
        for section in [
            "Definitions", "1.3 Transparency and explainability", "1.5 Accountability",
            "2.4 Building human capacity and preparing for labour market transformation",
        ] {
            #expect(found.contains(section), "no chunk with section \(section)")
        }
        let challenge = try #require(chunks.first { $0.text.contains("to challenge its outcome") })
        #expect(challenge.section == "1.3 Transparency and explainability")
        #expect(challenge.text.contains("iv. to enable those adversely affected"))
        let definition = try #require(chunks.first { $0.text.contains("An AI system is a machine-based system") })
        #expect(definition.section == "Definitions")
        #expect(definition.text.contains("AI system: An AI system is"))
        expectChunkInvariants(chunks, of: document)
    }

    /// A Markdown file with a few `a=b` lines is still Markdown.
    @Test func markdownWithAFewAssignmentsIsNotAProseObject() throws {
        let text = "# Notes\n\nx=1\n\nSome text about a=b and more.\n\ny.sec=not enough\n"
        let document = try DocumentLoader().load(data: Data(text.utf8), fileName: "notes.md")
        #expect(document.text.contains("x=1"))
        #expect(document.text.contains("y.sec=not enough"))
    }
}
