import ArgumentParser
import EmbedCache
import Evaluation
import Foundation
import Knowledge
import Retrieval

/// `aigov bench rerank`: what the cross-encoder stage adds to a question. For each question of a set, times
/// the search without reranking (today's query path), then the cross-encoder over the first stage's top N
/// candidates, as `serve` would run them.
struct BenchRerank: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerank",
        abstract: "Latency of the cross-encoder stage: p50/p99 per question of reranking the top N candidates.",
        discussion: """
            Example: taskset -c 0 aigov bench rerank --reranker-dir DIR --threads 1 --data-dir var --json

            Searches the data directory's knowledge base (ingest the corpus first) with each question of \
            --questions, --rounds times; the first round is a warm-up and is not counted. Per question it times \
            the hybrid search for --top-k results without reranking, and the cross-encoder reading the question \
            with each of the first stage's --candidates best passages (their heading and text, as the search \
            path reranks them). --threads sets the worker threads of both models (1 for one core). Question \
            vectors are cached after the warm-up, as on a server answering recurring questions; --uncached makes \
            every question unique so each search embeds it.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Option(help: "The cross-encoder folder (default: $RERANKER_MODEL_DIR).")
    var rerankerDir: String?

    @Option(help: "Candidates reranked per question.")
    var candidates: Int = RerankingStage.defaultTopN

    @Option(help: "Results per question.")
    var topK: Int = 5

    @Option(help: "JSON Lines file of {\"question\"} objects.")
    var questions: String = "fixtures/questions/governance.jsonl"

    @Option(help: "Passes over the questions; the first is a warm-up.")
    var rounds: Int = 3

    @Flag(help: "Make every question unique (a counter appended), so no question vector is cached.")
    var uncached = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard (1...1000).contains(candidates) else { throw ValidationError("--candidates must be from 1 to 1000") }
        guard (1...50).contains(topK) else { throw ValidationError("--top-k must be from 1 to 50") }
        guard (2...100).contains(rounds) else { throw ValidationError("--rounds must be from 2 to 100") }
    }

    func run() async throws {
        let directory = rerankerDir ?? ProcessInfo.processInfo.environment["RERANKER_MODEL_DIR"] ?? ""
        guard !directory.isEmpty else { throw CLIError("give --reranker-dir or set RERANKER_MODEL_DIR") }
        let encoder = try RerankerSettings.load(directory, threads: model.threads)
        let stage = RerankingStage(scorer: encoder, topN: candidates)
        let items: [EvaluationQuestion]
        do {
            items = try EvaluationQuestion.load(URL(fileURLWithPath: questions))
        } catch let error as EvaluationError {
            throw CLIError(error.description)
        }
        guard !items.isEmpty else { throw CLIError("\(questions) holds no questions") }
        let base = try await openKnowledgeBase(data, model)
        guard base.index.count > 0 else { throw CLIError("the knowledge base is empty: run `aigov ingest corpus`") }

        var searchMs: [Double] = []
        var rerankMs: [Double] = []
        var pairTokens: [Int] = []
        for round in 0..<rounds {
            for (number, item) in items.enumerated() {
                let question = uncached ? "\(item.question) (\(round * items.count + number))" : item.question
                do {
                    var started = monotonicSeconds()
                    _ = try await base.retrieve(question, topK: topK)
                    let search = (monotonicSeconds() - started) * 1000
                    let pool = try await base.retrieve(question, topK: candidates)
                    started = monotonicSeconds()
                    _ = try await base.rerank(question, pool, topK: topK, stage: stage)
                    let rerank = (monotonicSeconds() - started) * 1000
                    guard round > 0 else { continue }
                    searchMs.append(search)
                    rerankMs.append(rerank)
                    for citation in pool {
                        let text = base.index.record(id: citation.chunkID)?.text ?? citation.content
                        pairTokens.append(encoder.tokenizer.encodePair(question, text).ids.count)
                    }
                } catch let error as RetrievalError {
                    throw CLIError("search: \(error)")
                }
            }
        }
        let search = Summary(searchMs)
        let rerank = Summary(rerankMs)
        let meanTokens = Double(pairTokens.reduce(0, +)) / Double(max(pairTokens.count, 1))
        let configuration = encoder.configuration.bert
        if json {
            try printJSON([
                "questions": searchMs.count, "candidates": candidates, "threads": model.threads,
                "search_p50_ms": search.p50, "search_p99_ms": search.p99, "rerank_p50_ms": rerank.p50,
                "rerank_p99_ms": rerank.p99, "mean_pair_tokens": meanTokens,
                "reranker": [
                    "hidden_size": configuration.hiddenSize, "layers": configuration.layers,
                    "max_length": encoder.configuration.maxLength,
                ],
                "peak_rss_bytes": peakRSSBytes(),
            ])
        } else {
            print(
                String(
                    format: "%d questions, %d candidates, %d threads, %.0f tokens per pair on average",
                    searchMs.count, candidates, model.threads, meanTokens))
            print(String(format: "search without reranking: p50 %.1f ms  p99 %.1f ms", search.p50, search.p99))
            print(String(format: "reranking:                p50 %.1f ms  p99 %.1f ms", rerank.p50, rerank.p99))
        }
    }

    /// Nearest-rank percentiles of a sample in milliseconds.
    struct Summary {
        let p50: Double
        let p99: Double

        init(_ values: [Double]) {
            let sorted = values.sorted()
            func rank(_ p: Double) -> Double {
                guard !sorted.isEmpty else { return 0 }
                return sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
            }
            p50 = rank(0.5)
            p99 = rank(0.99)
        }
    }
}
