import Documents
import Foundation
import Testing

/// Packing rules on small synthetic documents, counted in whitespace words so budgets are easy to reason about.
@Suite struct ChunkerTests {
    private func document(_ text: String, type: DocumentType = .text) -> Document {
        Document(id: "doc", title: "T", source: "test", type: type, text: text)
    }

    private func words(_ count: Int, _ stem: String) -> String {
        (1...count).map { "\(stem)\($0)" }.joined(separator: " ")
    }

    @Test func smallArticlesNeverShareAChunk() {
        let text = """
            Article 1
            Subject matter
            1. One short paragraph.
            2. Another one.

            Article 2
            Scope
            This Regulation applies.

            Article 3
            Definitions
            Text.
            """
        let chunks = Chunker(counter: WhitespaceTokenCounter(), maxTokens: 200).chunk(document(text))
        #expect(chunks.map(\.section) == ["Article 1", "Article 2", "Article 3"])
        #expect(chunks[0].headingPath == ["Article 1 Subject matter"])
        #expect(chunks.allSatisfy { articleHeadings(in: $0.text).count == 1 })
    }

    /// An article heading before a first paragraph too long to share the budget with it joins that paragraph's
    /// first part when the window has room, and the chunk takes the paragraph's label; without room it stays
    /// apart as before.
    @Test func aHeadingNeverStandsAloneWhenTheWindowHasRoom() throws {
        let text =
            "CHAPTER I\nGENERAL PROVISIONS\nArticle 1\nProhibited practices\n1. " + words(38, "p") + "\n2. "
            + words(10, "q")
        let chunks = Chunker(counter: WhitespaceTokenCounter(), maxTokens: 40, windowTokens: 50).chunk(document(text))
        #expect(chunks.map(\.section) == ["Article 1(1)", "Article 1(2)"])
        let first = try #require(chunks.first)
        #expect(first.text.hasPrefix("CHAPTER I\nGENERAL PROVISIONS\nArticle 1\nProhibited practices\n1. p1 "))
        #expect(first.tokenCount <= 50 && chunks.dropFirst().allSatisfy { $0.tokenCount <= 40 })

        let tight = Chunker(counter: WhitespaceTokenCounter(), maxTokens: 40).chunk(document(text))
        #expect(tight.map(\.section) == ["Article 1", "Article 1(1)", "Article 1(2)"])
    }

    @Test func paragraphsPackUpToTheBudgetAndNameTheirSection() {
        let paragraphs = ["a", "b", "c"].enumerated().map { "\($0.offset + 1). \(words(30, $0.element))" }
        let text = "Article 1\nTitle\n" + paragraphs.joined(separator: "\n") + "\n\nArticle 2\nX\nY."
        let chunks = Chunker(counter: WhitespaceTokenCounter(), maxTokens: 40).chunk(document(text))
        // The article's heading shares the first chunk with paragraph 1 only, which names it.
        #expect(chunks.map(\.section) == ["Article 1(1)", "Article 1(2)", "Article 1(3)", "Article 2"])
        #expect(chunks.allSatisfy { $0.tokenCount <= 40 })
    }

    @Test func anOversizedUnitIsSplitWithOverlap() throws {
        let sentences = (1...40).map { "Sentence \($0) has five words." }.joined(separator: " ")
        let doc = document("Article 1\nTitle\n1. \(sentences)\n2. Short closing paragraph.")
        let chunks = Chunker(counter: WhitespaceTokenCounter(), maxTokens: 50, overlapTokens: 10).chunk(doc)
        let parts = chunks.filter { $0.section == "Article 1(1)" }
        #expect(parts.count >= 4)
        #expect(chunks.allSatisfy { $0.tokenCount <= 50 && $0.tokenCount > 0 })
        for (first, second) in zip(parts, parts.dropFirst()) {
            #expect(second.charStart < first.charEnd, "split parts overlap")
            #expect(first.charEnd - second.charStart < first.charEnd - first.charStart, "overlap is partial")
        }
        // Whole units do not overlap: the closing paragraph starts after the last part ends.
        let closing = try #require(chunks.last)
        let lastPart = try #require(parts.last)
        #expect(closing.section == "Article 1(2)")
        #expect(closing.charStart > lastPart.charEnd)
    }

    @Test func aSentenceOverTheWindowFallsBackToWords() {
        let doc = document(words(500, "w"))
        let chunks = Chunker(counter: WhitespaceTokenCounter(), maxTokens: 100, overlapTokens: 10).chunk(doc)
        #expect(chunks.count >= 5)
        #expect(chunks.allSatisfy { $0.tokenCount <= 100 })
        #expect(chunks.first?.text.hasPrefix("w1 w2") == true)
        #expect(chunks.last?.text.hasSuffix("w500") == true)
    }

    /// One token per 4 scalars of each word: a long word costs many tokens, as in WordPiece.
    private struct ScalarCounter: TokenCounter {
        func count(_ text: String) -> Int {
            text.split(separator: " ").reduce(0) { $0 + ($1.unicodeScalars.count + 3) / 4 }
        }
    }

    @Test func aWordOverTheWindowIsCutWithoutLosingText() {
        let long = String(repeating: "abcdefghij", count: 100)
        let text = "start \(long) end"
        let chunks = Chunker(counter: ScalarCounter(), maxTokens: 40, overlapTokens: 0).chunk(document(text))
        #expect(chunks.count >= 7)
        #expect(chunks.allSatisfy { $0.tokenCount <= 40 && $0.tokenCount > 0 })
        #expect(chunks.first?.charStart == 0)
        #expect(chunks.last?.charEnd == text.unicodeScalars.count)
        for (first, second) in zip(chunks, chunks.dropFirst()) {
            #expect(second.charStart <= first.charEnd + 1, "text lost between chunks")
        }
    }

    @Test func idsAreStableAndHashesAreSHA256() {
        let text = "Article 1\nTitle\nSome text.\n\nArticle 2\nOther\nMore text."
        let chunker = Chunker(counter: WhitespaceTokenCounter())
        let first = chunker.chunk(document(text))
        #expect(first.map(\.chunkID) == chunker.chunk(document(text)).map(\.chunkID))
        let edited = chunker.chunk(document(text.replacingOccurrences(of: "More", with: "Less")))
        #expect(first[0].chunkID == edited[0].chunkID)
        #expect(first[1].chunkID != edited[1].chunkID)
        #expect(first[0].chunkID.hasPrefix("doc:0:"))
        #expect(document("abc").contentHash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func nistActionIdsAndSubcategories() {
        let text = """
            GOVERN 1.1: Legal and regulatory requirements involving AI are understood.
            Action ID
            GV-1.1-001 Align GAI development and use with applicable laws.
            GV-1.1-002 Establish transparency policies.
            MAP 2.3: Scientific integrity and TEVV considerations are identified.
            """
        let chunks = Chunker(counter: WhitespaceTokenCounter(), maxTokens: 12).chunk(document(text))
        #expect(chunks.map(\.section) == ["GOVERN 1.1", "GV-1.1-001", "GV-1.1-002", "MAP 2.3"])
        let packed = Chunker(counter: WhitespaceTokenCounter()).chunk(document(text))
        #expect(packed.map(\.section) == ["GOVERN 1.1", "MAP 2.3"])
    }
}
