import DocumentFixtures
import Documents
import Foundation
import Testing

/// NIST AI 800-1 (initial public draft, from `corpus/`): its practices are the sections its own text cites
/// ("Practice 1.2"), and the draft's margin line numbers neither split passages nor make headings of list items
/// and running headers.
@Suite struct NISTMisuseTests {
    static let practices = [
        "1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2", "3.3", "4.1", "4.2", "5.1", "5.2", "5.3",
        "6.1", "6.2", "6.3", "6.4", "6.5", "7.1", "7.2", "7.3",
    ].map { "Practice \($0)" }

    func chunk(containing phrase: String, in chunks: [Chunk]) throws -> Chunk {
        try #require(chunks.first { $0.text.contains(phrase) }, "no chunk contains \"\(phrase)\"")
    }

    @Test func practicesAreSectionsUnderTheirObjectives() throws {
        let chunks = try Fixtures.cache.chunks(Fixtures.misusePDF)
        let found = sections(chunks)
        for practice in Self.practices {
            #expect(found.contains(practice), "no chunk with section \(practice)")
        }
        let first = try chunk(containing: "Identify and maintain a list of threat profiles", in: chunks)
        #expect(first.section == "Practice 1.1")
        #expect(first.headingPath.suffix(2) == ["Objective 1: Anticipate potential misuse risk", "Practice 1.1"])
        #expect(first.pageStart == 10)
        #expect(try chunk(containing: "Maintain security practices sufficient", in: chunks).section == "Practice 3.3")
        // Objective 3's heading is laid out after Practice 3.1's first lines: it must not take them over.
        #expect(try chunk(containing: "Assess the risk of model theft by each", in: chunks).section == "Practice 3.1")
        // A numbered recommendation that looks like a heading stays in its practice.
        let support = try chunk(containing: "Consider providing support and accommodations", in: chunks)
        #expect(support.section == "Practice 6.4")
        #expect(try chunk(containing: "Jailbreaking", in: chunks).section == "Appendix A. Glossary")
    }

    @Test func marginLineNumbersNeitherSplitNorLabel() throws {
        let chunks = try Fixtures.cache.chunks(Fixtures.misusePDF)
        // Practice 1.1's recommendations 1 and 2 stand on lines 10-15 of page 10, each after its margin numbers.
        let recommendation = try chunk(
            containing: "For each threat profile, specify the relevant capabilities", in: chunks)
        #expect(recommendation.text.contains("Consider known misuse risks"))
        let numbered = sections(chunks).filter { $0.first?.isNumber == true }
        #expect(
            numbered.isSubset(of: [
                "1 INTRODUCTION", "2 SCOPE", "3 KEY CHALLENGES IN MAPPING AND MEASURING MISUSE RISKS",
                "4 OBJECTIVES AND PRACTICES TO MANAGE MISUSE RISKS",
            ]), "headings made of margin numbers, list items or running headers: \(numbered.sorted())")
        expectChunkInvariants(chunks, of: try Fixtures.cache.document(Fixtures.misusePDF))
    }
}
