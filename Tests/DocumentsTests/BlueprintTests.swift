import DocumentFixtures
import Foundation
import Testing

@testable import Documents

/// The Blueprint for an AI Bill of Rights (from `corpus/`): no numbered structure, so its all-caps principle
/// headings are its sections (`CapsHeadings`), their parts ("WHY THIS PRINCIPLE IS IMPORTANT") go to the heading
/// path, and the headings repeated at the top of each page neither cut its text nor relabel it.
@Suite struct BlueprintTests {
    func chunk(containing phrase: String, in chunks: [Chunk]) throws -> Chunk {
        try #require(chunks.first { $0.text.contains(phrase) }, "no chunk contains \"\(phrase)\"")
    }

    @Test func principlesAreSectionsAndTheirPartsArePaths() throws {
        let chunks = try Fixtures.cache.chunks(Fixtures.blueprintPDF)
        let statement = try chunk(containing: "You should be protected from unsafe or ineffective systems", in: chunks)
        #expect(statement.section == "Safe and Effective Systems")
        let sepsis = try chunk(
            containing: "A proprietary model was developed to predict the likelihood of sepsis", in: chunks)
        #expect(sepsis.section == "Safe and Effective Systems")
        #expect(sepsis.headingPath == ["Safe and Effective Systems", "Why This Principle Is Important"])
        #expect(try chunk(containing: "protected from abusive data practices", in: chunks).section == "Data Privacy")
        // The companion's page labels lost their "&" to the PDF's fonts ("NOTICE" / "EXPLANATION"); the title is
        // the principle's full one all the same.
        let notice = try chunk(containing: "Notice and explanations also serve an important safety", in: chunks)
        #expect(notice.section == "Notice and Explanation")
        let fired = try chunk(containing: "fired by an automated system without the possibility", in: chunks)
        #expect(fired.section == "Human Alternatives, Consideration, and Fallback")
        // The layout template's "SECTION TITLE" over the real headings is no heading.
        #expect(!chunks.contains { $0.section == "Section Title" || $0.headingPath.contains("Section Title") })
        expectChunkInvariants(chunks, of: try Fixtures.cache.document(Fixtures.blueprintPDF))
    }

    @Test func pageLabelsDoNotCutAPart() throws {
        let chunks = try Fixtures.cache.chunks(Fixtures.blueprintPDF)
        // Every page of a part opens with the principle and the part's title again: each part is still one run
        // of chunks, not one per page.
        var runs: [[String]] = []
        for chunk in chunks where chunk.headingPath.count == 2 && runs.last != chunk.headingPath {
            runs.append(chunk.headingPath)
        }
        #expect(runs.count == Set(runs).count, "parts split: \(runs)")
        #expect(runs.count == 15, "\(runs)")
    }
}

/// `CapsHeadings` on text of the Blueprint's shapes.
@Suite struct CapsHeadingsTests {
    @Test func outerHeadingsPartsWrappedTitlesAndLeadIns() throws {
        let text = """
            SECTION TITLE

            FOREWORD
            Text.
            SAFE AND EFFECTIVE
            SYSTEMS

            WHY THIS PRINCIPLE IS IMPORTANT
            Text.
            BLUEPRINT FOR AN AI BILL OF RIGHTS
            DATA PRIVACY
            Text.
            DATA PRIVACY

            WHY THIS PRINCIPLE IS IMPORTANT
            Text.
            NOTICE
            EXPLANATION

            WHY THIS PRINCIPLE IS IMPORTANT
            Text.
            NOTICE AND EXPLANATION
            WHAT THIS MEANS:
            a capital lead-in, not a heading.
            ROTECT O
            """
        let found = CapsHeadings.find(in: text).sorted { $0.key < $1.key }.compactMap(\.value)
            .map { "\($0.level) \($0.title)" }
        #expect(
            found == [
                "1 Foreword", "1 Safe and Effective Systems", "2 Why This Principle Is Important",
                "1 Blueprint for an AI Bill of Rights", "1 Data Privacy", "1 Data Privacy",
                "2 Why This Principle Is Important", "1 Notice and Explanation", "2 Why This Principle Is Important",
                "1 Notice and Explanation",
            ], "\(found)")
    }
}
