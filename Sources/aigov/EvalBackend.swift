import Foundation
import Knowledge
import Qdrant
import Retrieval

/// Where `aigov eval` searches: the local index, or with `RETRIEVAL_BACKEND=qdrant` the Qdrant collection, first
/// made equal to the store (``QdrantMirror/repair()``, which also builds or migrates it). A search that would
/// fall back to the local index fails instead: the figures must say which engine ranked.
struct EvalBackend {
    let base: KnowledgeBase
    let qdrant: QdrantRetriever?

    init(base: KnowledgeBase, environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        self.base = base
        guard let configuration = try searchSettings(environment).searchQdrant else {
            qdrant = nil
            return
        }
        do {
            let mirror = QdrantMirror(
                knowledgeBase: base, client: try QdrantClient(configuration: try searchSettings(environment).qdrant!))
            let found = try await mirror.repair()
            printError(
                "collection \(configuration.collection): \(found.storedChunks) stored chunks, "
                    + "\(found.missing.count + found.stale.count) pushed, \(found.extra.count) removed")
            // Evaluation waits for answers a user would not: no 3 s search budget.
            var patient = configuration
            patient.requestTimeout = .seconds(60)
            patient.retry = QdrantRetryPolicy()
            qdrant = QdrantRetriever(knowledgeBase: base, client: try QdrantClient(configuration: patient))
        } catch let error as QdrantError {
            throw CLIError("qdrant: \(error)")
        }
    }

    /// The `topK` best passages, reranked when a reranking stage is configured, as `serve` answers.
    func search(_ text: String, topK: Int, mode: SearchMode) async throws -> [Citation] {
        do {
            guard let qdrant else { return try await base.search(text, topK: topK, mode: mode) }
            let outcome = try await qdrant.search(text, topK: topK, mode: mode)
            if let failure = outcome.fallback { throw CLIError("qdrant: \(failure)") }
            return outcome.citations
        } catch let error as RetrievalError {
            throw CLIError("search: \(error)")
        } catch let error as QdrantError {
            throw CLIError("qdrant: \(error)")
        }
    }
}
