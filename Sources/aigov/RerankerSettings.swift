import EmbedCache
import Foundation
import Ingest

/// The cross-encoder stage named by the environment: `RERANKER_MODEL_DIR` (a sentence-transformers
/// CrossEncoder folder) and `RERANKER_TOP_N` (candidates reranked per question, default 30). `serve`,
/// `search`, `ask` and `eval` read it; unset, search is the first stage alone.
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
        let directory = environment["RERANKER_MODEL_DIR"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let topNText = environment["RERANKER_TOP_N"]?.trimmingCharacters(in: .whitespaces) ?? ""
        var topN = RerankingStage.defaultTopN
        if !topNText.isEmpty {
            guard let value = Int(topNText), (1...1000).contains(value) else {
                throw CLIError(
                    "configuration: RERANKER_TOP_N must be a whole number from 1 to 1000, not \"\(topNText)\"")
            }
            topN = value
        }
        guard !directory.isEmpty else { return nil }
        let encoder = try load(directory, threads: threads)
        return RerankingStage(scorer: encoder, topN: topN)
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
