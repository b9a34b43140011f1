import ConcurrencySupport
import Documents
import Foundation
import Retrieval

extension KnowledgeBase {
    /// The passages of a document that is not stored (a live web page), chunked as ingest would chunk it and
    /// ranked by cosine similarity to `question`: the best `limit`, each marked ``Citation/liveWeb``. Nothing is
    /// written to the store, the index or the embedding cache.
    public func transientPassages(of document: Document, question: String, limit: Int) async throws -> [Citation] {
        let chunks = chunker.chunk(document)
        guard !chunks.isEmpty, limit > 0 else { return [] }
        let scores = try await similarities(of: question, to: chunks.map(\.text))
        return zip(chunks, scores).sorted { ($0.1, $1.0.ordinal) > ($1.1, $0.0.ordinal) }.prefix(limit).map {
            chunk, score in
            var citation = Citation(
                content: chunk.text, documentTitle: document.title, documentSource: document.source,
                documentURL: document.url, chunkIndex: chunk.ordinal, chunkID: chunk.chunkID,
                documentID: document.id, section: chunk.section, pageStart: chunk.pageStart, pageEnd: chunk.pageEnd,
                score: score)
            citation.liveWeb = true
            return citation
        }
    }

    /// Loads bytes fetched from the web as a document, as ingest would, without storing it.
    public func loadTransient(data: Data, fileName: String, options: DocumentLoader.Options) async throws -> Document {
        let loader = self.loader
        return try await blocking { try loader.load(data: data, fileName: fileName, options: options) }
    }
}
