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
}
