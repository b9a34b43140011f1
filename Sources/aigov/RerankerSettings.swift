import EmbedCache
import Foundation
import Knowledge
import Settings

/// The cross-encoder stage named by `RERANKER_MODEL_DIR` and `RERANKER_TOP_N` (read by ``SearchSettings``),
/// loaded. `serve`, `search`, `ask` and `eval` use it; unset, search is the first stage alone.
enum RerankerSettings {
    /// `options` with the configured reranking stage, or unchanged when `RERANKER_MODEL_DIR` is unset or
    /// empty. Throws a `CLIError` naming the variable when the folder cannot be used.
    static func apply(
        to options: KnowledgeBase.Options = KnowledgeBase.Options(), threads: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> KnowledgeBase.Options {
        var options = options
        options.reranking = try stage(threads: threads, environment: environment)
        return options
    }

    static func stage(threads: Int, environment: [String: String]) throws -> RerankingStage? {
        let settings = try searchSettings(environment)
        guard let directory = settings.rerankerDirectory else { return nil }
        return RerankingStage(scorer: try load(directory, threads: threads), topN: settings.rerankerTopN)
    }

    /// The cross-encoder in `directory`, or a `CLIError` naming `RERANKER_MODEL_DIR`.
    static func load(_ directory: String, threads: Int) throws -> CrossEncoder {
        do {
            return try CrossEncoder(modelDirectory: URL(fileURLWithPath: directory), threads: threads)
        } catch let error as EmbedError {
            throw CLIError("configuration: RERANKER_MODEL_DIR=\(directory): \(error)")
        }
    }
}
