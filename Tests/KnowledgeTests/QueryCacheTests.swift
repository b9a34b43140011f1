import DocumentFixtures
import Documents
import EmbedCache
import Foundation
import Knowledge
import Retrieval
import Testing

@Suite struct QueryCacheTests {
    /// The bytes of every file of the persistent embedding cache, by name (compared whole: byte-identical).
    private func fingerprint(of directory: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            result[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return result
    }

    @Test func thousandUniqueQueriesLeaveThePersistentCacheUnchanged() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let (kb, _) = try await library.open()
        let summary = await kb.ingest(files: [try library.copy(Fixtures.eo14179)])
        #expect(summary.failures == [] && summary.chunksAdded > 0)
        let cacheDirectory = library.directory.appendingPathComponent("embeddings")
        let before = try fingerprint(of: cacheDirectory)
        #expect(!before.isEmpty)
        let embeddedBefore = library.base.embedded

        for i in 0..<1_000 {
            let mode: SearchMode = i % 2 == 0 ? .hybrid : .dense
            _ = try await kb.search("which agency reviews artificial intelligence policy number \(i)?", mode: mode)
        }
        #expect(try fingerprint(of: cacheDirectory) == before)
        #expect(library.base.embedded == embeddedBefore + 1_000)

        // A repeated question is answered from memory, not the model.
        _ = try await kb.search("which agency reviews artificial intelligence policy number 999?", mode: .dense)
        #expect(library.base.embedded == embeddedBefore + 1_000)
        // Ingestion still writes the persistent cache.
        let more = await kb.ingest(files: [try library.copy(Fixtures.rmfPDF)])
        #expect(more.failures == [] && more.chunksEmbedded > 0)
        #expect(try fingerprint(of: cacheDirectory) != before)
    }

    /// The server embeds a question before the search gate (``KnowledgeBase/prepareQuestion(_:mode:)``): the
    /// search then finds its vector in memory, and questions prepared together share a pass of the model.
    @Test func preparedQuestionsAreBatchedAndTheSearchReusesTheirVectors() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        var options = KnowledgeBase.Options()
        options.queryBatching = BatchingEmbedder.Settings(window: .milliseconds(50), maxTexts: 8, lanes: 1)
        let (kb, _) = try await library.open(options: options)
        #expect(await kb.ingest(files: [try library.copy(Fixtures.eo14179)]).failures == [])
        let batching = try #require(kb.queryEmbedder.batching)
        let embeddedBefore = library.base.embedded

        try await kb.prepareQuestion("who reviews the artificial intelligence policy?", mode: .lexical)
        #expect(batching.statistics.batches == 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<24 {
                group.addTask { try await kb.prepareQuestion("which office leads policy number \(i)?", mode: .hybrid) }
            }
            try await group.waitForAll()
        }
        #expect(library.base.embedded == embeddedBefore + 24)
        #expect(batching.statistics.texts == 24 && batching.statistics.largest <= 8)
        for i in 0..<24 {
            _ = try await kb.search("which office leads policy number \(i)?", mode: i % 2 == 0 ? .hybrid : .dense)
        }
        #expect(library.base.embedded == embeddedBefore + 24)
        #expect(batching.statistics.texts == 24)

        // Without the memory cache the vector would be thrown away, so nothing is prepared.
        var uncached = options
        uncached.queryCacheBytes = 0
        let other = try TestLibrary()
        defer { other.remove() }
        let (plain, _) = try await other.open(options: uncached)
        try await plain.prepareQuestion("which office leads policy number 1?", mode: .dense)
        #expect(plain.queryEmbedder.batching?.statistics.batches == 0)
    }
}
