import Foundation
import Knowledge
import Qdrant
import Retrieval

/// Search as `aigov serve` does it: with `RETRIEVAL_BACKEND=qdrant` the dense ranking comes from the Qdrant
/// collection (BM25 stays local, hybrid is fused here), and when Qdrant fails the local index answers, with a
/// note on stderr; otherwise the local index alone.
struct ConfiguredSearch {
    let service: SearchService

    /// Reads `RETRIEVAL_BACKEND` and the `QDRANT_*` settings from the environment. Throws a `CLIError` naming
    /// the variable that cannot be used.
    init(base: KnowledgeBase, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let qdrant = try searchSettings(environment).searchQdrant
        do {
            service = try SearchService(knowledgeBase: base, qdrant: qdrant)
        } catch {
            throw CLIError("configuration: \(error)")
        }
    }

    func search(
        _ text: String, topK: Int, mode: SearchMode, filter: SearchFilter = SearchFilter()
    ) async throws -> [Citation] {
        do {
            let outcome = try await service.search(text, topK: topK, mode: mode, filter: filter)
            if let failure = outcome.fallback {
                printError("qdrant search failed (\(failure.code.rawValue): \(failure.message)); used the local index")
            }
            return outcome.citations
        } catch let error as RetrievalError {
            throw CLIError("search: \(error)")
        }
    }
}
