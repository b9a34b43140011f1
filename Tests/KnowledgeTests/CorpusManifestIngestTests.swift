import DocumentFixtures
import Documents
import Foundation
import Knowledge
import Testing

/// The corpus manifest through the knowledge base: what its titles and sources do to stored documents.
@Suite struct CorpusManifestIngestTests {
    /// A manifest change after the first ingest updates the titles and sources without embedding anything.
    @Test func aManifestChangeUpdatesTitlesWithoutReembedding() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let file = try library.copy(Fixtures.eo14179)
        let folder = file.deletingLastPathComponent()
        func write(_ title: String) throws {
            let text =
                #"{"version": 1, "documents": {"\#(Fixtures.eo14179)": "#
                + #"{"title": "\#(title)", "source": "The White House", "url": "https://example.org/eo", "#
                + #""type": "executive-order"}}}"#
            try Data(text.utf8).write(to: folder.appendingPathComponent(CorpusManifest.fileName))
        }
        try write("EO 14179")
        let (kb, _) = try await library.open()
        let files = try InputCollector.files([folder.path])
        let first = await kb.ingest(files: files, manifests: try CorpusManifest.manifests(for: files))
        #expect(first.documentsAdded == 1 && first.failures == [])
        var hits = try await kb.retrieve("American leadership in artificial intelligence", topK: 1, mode: .lexical)
        #expect(hits.first?.documentTitle == "EO 14179")
        #expect(hits.first?.documentSource == "The White House")
        #expect(hits.first?.documentURL == "https://example.org/eo")

        try write("Executive Order 14179 (2025)")
        let embedded = library.base.embedded
        let second = await kb.ingest(files: files, manifests: try CorpusManifest.manifests(for: files))
        #expect(second.documentsUpdated == 1 && second.chunksEmbedded == 0)
        #expect(library.base.embedded == embedded)
        hits = try await kb.retrieve("American leadership in artificial intelligence", topK: 1, mode: .lexical)
        #expect(hits.first?.documentTitle == "Executive Order 14179 (2025)")
    }
}
