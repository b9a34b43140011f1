import DocumentFixtures
import Documents
import Foundation
import Testing

/// A text's reference list is a section of its own when one lone "References" line heads it, and a part of each
/// subcategory when every subcategory has one (`StructureParser.backMatterHeadings`).
@Suite struct ReferenceListTests {
    func chunk(containing phrase: String, in chunks: [Chunk]) throws -> Chunk {
        try #require(chunks.first { $0.text.contains(phrase) }, "no chunk contains \"\(phrase)\"")
    }

    @Test func nistBiasReferencesAreNotItsGlossary() throws {
        let chunks = try Fixtures.cache.chunks(Fixtures.biasPDF)
        // The glossary keeps its label; the reference list after it was "5 Glossary" too, 120 chunks of it.
        #expect(try chunk(containing: "user interaction bias Arises when a user", in: chunks).section == "5 Glossary")
        let references = try chunk(containing: "[2] I. Ajunwa, S. A. Friedler", in: chunks)
        #expect(references.section == "References")
        #expect(try chunk(containing: "Accountable Algorithms", in: chunks).section == "References")
        expectChunkInvariants(chunks, of: try Fixtures.cache.document(Fixtures.biasPDF))
    }

    @Test func thePlaybooksReferencesStayInTheirSubcategories() throws {
        let chunks = try Fixtures.cache.chunks(Fixtures.playbookPDF)
        #expect(!chunks.contains { $0.section == "References" })
    }
}
