import ConcurrencySupport
import Documents
import EmbedCache
import Foundation

extension KnowledgeBase {
    /// Commits many small in-memory documents (a benchmark corpus), `batch` documents at a time: the chunks
    /// of a whole batch are embedded in one call first, so every encoder worker has work, then each document
    /// is committed and finds its vectors in the cache. One document's one or two chunks per call would
    /// leave all but one worker idle. Without a cache in front of the embedder the documents are committed
    /// one by one. A document that fails is recorded in the summary and the rest go on.
    ///
    /// `progress` receives (documents done, total).
    public func commit(
        documents: [Document], batch: Int = 256, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> IngestSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        var summary = IngestSummary()
        let warm = embedder is CachedEmbedder
        var done = 0
        for start in stride(from: 0, to: documents.count, by: max(1, batch)) {
            let slice = documents[start..<min(start + max(1, batch), documents.count)]
            if warm {
                let chunker = self.chunker
                let texts = try await blocking {
                    slice.flatMap { chunker.chunk($0).map { Self.embeddingText(of: Self.stored($0)) } }
                }
                summary.chunksEmbedded += try await embedCounting(texts).1
            }
            for document in slice {
                do {
                    summary.record(try await commit(document))
                } catch {
                    summary.record(IngestFailure(path: document.id, error: Self.describe(error)))
                }
            }
            done += slice.count
            progress?(done, documents.count)
        }
        try await checkpoint()
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return summary
    }
}
