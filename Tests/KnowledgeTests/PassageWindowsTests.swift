import DocumentFixtures
import Foundation
import Retrieval
import Store
import Testing

@testable import Documents
@testable import Knowledge

@Suite struct PassageWindowsTests {
    @Test func sentencesEndAtStopsAndListPointsStartThem() {
        let text = "Deployers shall act. They shall\nkeep logs; and report:\n(a) to the authority\n(b) to users.\nDone"
        #expect(
            PassageWindows.sentences(of: text).map { $0.joined(separator: " ") } == [
                "Deployers shall act.", "They shall keep logs;", "and report:", "(a) to the authority",
                "(b) to users.", "Done",
            ])
        #expect(
            PassageWindows.isEnumerator("(a)") && PassageWindows.isEnumerator("12.")
                && PassageWindows.isEnumerator("iv)"))
        #expect(!PassageWindows.isEnumerator("Article") && !PassageWindows.isEnumerator("(A)"))
        #expect(!PassageWindows.isEnumerator("(abcde)") && !PassageWindows.isEnumerator("shall."))
    }

    @Test func aShortChunkIsOneWindowAndHasNone() {
        #expect(PassageWindows.windows(text: "One short sentence. And another.", heading: "Article 1") == [])
    }

    @Test func windowsPackWholeSentencesUnderTheHeading() {
        let sentence = (1...20).map { "w\($0)" }.joined(separator: " ") + "."
        let text = Array(repeating: sentence, count: 7).joined(separator: " ")
        let windows = PassageWindows.windows(text: text, heading: "Article 50 Transparency obligations")
        // 7 sentences of 20 words: three per window (60 <= 64), so 3 + 3 + 1.
        #expect(windows.count == 3)
        #expect(windows.allSatisfy { $0.hasPrefix("Article 50 Transparency obligations\nw1 ") })
        #expect(windows.last == "Article 50 Transparency obligations\n" + sentence)
        // A window holding its heading already is not given it twice.
        let headed = PassageWindows.windows(
            text: "Article 50 Transparency. " + text, heading: "Article 50 Transparency.")
        #expect(headed.first?.hasPrefix("Article 50 Transparency. w1") == true)
    }

    @Test func aLongSentenceIsCutIntoOverlappingRuns() {
        let words = (1...150).map { Substring("w\($0)") }
        let pieces = PassageWindows.pieces(words)
        #expect(pieces.allSatisfy { $0.count <= PassageWindows.maxWords })
        #expect(pieces.first?.first == "w1" && pieces.last?.last == "w150")
        #expect(pieces[1].first == "w33", "half a run on while more than a run remains")
        #expect(Set(pieces.flatMap { $0 }).count == 150)
    }
}

@Suite struct WindowIngestTests {
    func open(_ library: TestLibrary, windows: Bool) async throws -> KnowledgeBase {
        guard let tokenizer = Fixtures.tokenizer else { throw TestSetupError.noTokenizer }
        var options = KnowledgeBase.Options()
        options.ranking.windowShare = windows ? 0.5 : 0
        return try await KnowledgeBase.open(
            dataDirectory: library.directory, store: try await library.store(), embedder: try library.embedder(),
            tokenCounter: tokenizer, options: options
        ).0
    }

    /// Windows are stored with the records; an index written without them gets them on the next ingest of the
    /// same bytes, with no chunk embedded again (chunk counts stay counts of chunks).
    @Test func ingestWritesWindowsAndUpgradesAnIndexWithout() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let files = [try library.copy(Fixtures.eo14179)]
        let id = files[0].lastPathComponent
        do {
            let kb = try await open(library, windows: false)
            let first = await kb.ingest(files: files)
            #expect(first.failures == [] && first.chunksAdded > 0)
            let chunks = try await kb.store.chunks(documentID: id)
            #expect(chunks.allSatisfy { kb.index.record(id: $0.chunkID)?.windows == [] })
        }
        let kb = try await open(library, windows: true)
        let again = await kb.ingest(files: files)
        #expect(again.documentsUpdated == 1 && again.chunksEmbedded == 0 && again.chunksAdded == 0)
        let document = try #require(try await kb.store.document(id: id))
        #expect(document.metadata[KnowledgeBase.chunkingKey]?.hasSuffix("/windows64") == true)
        let chunks = try await kb.store.chunks(documentID: id)
        var windowed = 0
        for chunk in chunks {
            let record = try #require(kb.index.record(id: chunk.chunkID))
            let expected = PassageWindows.windows(of: chunk)
            #expect(record.windows.count == expected.count)
            if !expected.isEmpty {
                windowed += 1
                let vectors = try await library.embedder().embed(expected)
                for (stored, fresh) in zip(record.windows, vectors) {
                    #expect(abs(VectorMath.dot(stored, VectorMath.normalized(fresh)!) - 1) < 1e-4)
                }
            }
        }
        #expect(windowed > 0, "the order's longer sections span several windows")
        let third = await kb.ingest(files: files)
        #expect(third.documentsUnchanged == 1)
        #expect(try await kb.verify().agrees)
    }
}
