import APIServer
import Foundation
import Ingest
import Retrieval

/// Search as `aigov serve` does it: with `RETRIEVAL_BACKEND=qdrant` the dense ranking comes from the Qdrant
/// collection (BM25 stays local, hybrid is fused here), and when Qdrant fails the local index answers, with a
/// note on stderr; otherwise the local index alone.
struct ConfiguredSearch {
    let base: KnowledgeBase
    /// Nil when `RETRIEVAL_BACKEND` is `local`.
    let retriever: QdrantRetriever?

    /// Reads `RETRIEVAL_BACKEND` and the `QDRANT_*` settings from the environment. Throws a `CLIError` naming
    /// the variable that cannot be used.
    init(base: KnowledgeBase, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.base = base
        do {
            let qdrant = try ServerConfiguration.qdrantConfiguration(variables: environment)
            let backend = try ServerConfiguration.retrievalBackend(
                variables: environment, qdrantConfigured: qdrant != nil)
            if backend == .qdrant, let qdrant {
                retriever = QdrantRetriever(
                    knowledgeBase: base, client: try QdrantClient(configuration: qdrant.forSearch))
            } else {
                retriever = nil
            }
        } catch {
            throw CLIError("configuration: \(error)")
        }
    }

    func search(
        _ text: String, topK: Int, mode: SearchMode, filter: SearchFilter = SearchFilter()
    ) async throws -> [Citation] {
        do {
            guard let retriever else { return try await base.search(text, topK: topK, mode: mode, filter: filter) }
            let outcome = try await retriever.search(text, topK: topK, mode: mode, filter: filter)
            if let failure = outcome.fallback {
                printError("qdrant search failed (\(failure.code.rawValue): \(failure.message)); used the local index")
            }
            return outcome.citations
        } catch let error as RetrievalError {
            throw CLIError("search: \(error)")
        }
    }
}
