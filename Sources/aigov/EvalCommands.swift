import ArgumentParser
import Documents
import EmbedCache
import Evaluation
import Foundation
import Knowledge
import Retrieval
import Store

#if canImport(Glibc)
    import Glibc
#endif

struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure retrieval quality on a BEIR dataset or a question set.",
        subcommands: [EvalBEIR.self, EvalQuestions.self, EvalAnswers.self])
}

/// A search mode, or all three in one run.
enum EvalMode: String, ExpressibleByArgument, CaseIterable {
    case dense, lexical, hybrid, all

    var modes: [SearchMode] {
        switch self {
        case .dense: [.dense]
        case .lexical: [.lexical]
        case .hybrid: [.hybrid]
        case .all: [.dense, .lexical, .hybrid]
        }
    }
}

struct EvalBEIR: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beir",
        abstract: "Ingest a BEIR-layout dataset into a temporary data directory and score every query.",
        discussion: """
            DIR holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv. Each corpus entry becomes one document \
            (title, blank line, text) under its BEIR id; a document split into several chunks scores as its best \
            chunk. Metrics are trec_eval's (as pytrec_eval computes them for BEIR): nDCG@10 with graded gains, \
            recall@100, and MRR@10, averaged over the judged queries; ties in score rank by document id, \
            descending. As BEIR does, a document whose id equals the query's is dropped from that query's \
            results. Vectors come from the persistent embedding cache, so a second run embeds nothing.
            """)

    @OptionGroup var model: ModelOptions

    @Argument(help: "The dataset folder.")
    var directory: String

    @Option(help: "dense, lexical, hybrid, or all (ingest once, score the three).")
    var mode: EvalMode = .hybrid

    @Option(help: "The qrels file to score: qrels/<split>.tsv.")
    var split = "test"

    @Option(help: "Documents retrieved per query (recall is computed at 100 of them).")
    var topK = 100

    @Option(help: "Embedding cache folder (default: the data directory's, $AIGOV_DATA_DIR or ./var, embeddings/).")
    var cacheDir: String?

    @Option(help: "Keep the knowledge base in this folder instead of a temporary one (reused when run again).")
    var keepData: String?

    @Option(help: "Only the first N corpus documents (for timing; the metrics then mean little).")
    var maxDocuments: Int?

    @Flag(help: "BM25 without Porter stemming, to measure what stemming brings.")
    var noStemming = false

    @Flag(help: "Print one JSON object per mode on stdout.")
    var json = false

    func validate() throws {
        guard (1...1000).contains(topK) else { throw ValidationError("--top-k must be between 1 and 1000") }
        if let maxDocuments, maxDocuments < 1 { throw ValidationError("--max-documents must be positive") }
    }

    func run() async throws {
        let dataset: BEIRDataset
        do {
            dataset = try BEIRDataset.load(directory: URL(fileURLWithPath: directory), split: split)
        } catch let error as EvaluationError {
            throw CLIError(error.description)
        }
        let corpus = maxDocuments.map { Array(dataset.documents.prefix($0)) } ?? dataset.documents
        printError("\(directory): \(corpus.count) documents, \(dataset.queries.count) judged queries (\(split))")

        let dataDirectory: URL
        if let keepData {
            dataDirectory = URL(fileURLWithPath: keepData)
        } else {
            dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "aigov-eval-\(UUID().uuidString)")
        }
        defer { if keepData == nil { try? FileManager.default.removeItem(at: dataDirectory) } }
        let base = try await openBase(dataDirectory)

        let ingestStarted = monotonicSeconds()
        let documents = corpus.map(Self.document)
        let progress = CountProgress("ingesting")
        let summary: IngestSummary
        do {
            summary = try await base.commit(documents: documents, progress: progress.update)
        } catch let error as RetrievalError {
            throw CLIError("index: \(error)")
        }
        progress.finish()
        printError(
            String(
                format: "ingested %d documents (%d added, %d unchanged, %d failed), %d chunks embedded, in %.1fs",
                documents.count, summary.documentsAdded, summary.documentsUnchanged, summary.documentsFailed,
                summary.chunksEmbedded, monotonicSeconds() - ingestStarted))
        for failure in summary.failures.prefix(5) { printError("  \(failure.path): \(failure.error)") }

        // The ranking serve would use, so SciFact measures what the governance priors do to a foreign corpus.
        let ranking = try rankingOptions(ProcessInfo.processInfo.environment)
        let backend = try await EvalBackend(base: base)
        if backend.qdrant != nil {
            try await scoreThroughQdrant(dataset, backend: backend)
            return
        }
        let queryTexts = dataset.queries.map(\.text)
        let needsVectors = mode != .lexical
        let vectors = needsVectors ? try await base.embedder.embed(queryTexts.map(ranking.denseText)) : []
        for searchMode in mode.modes {
            let started = monotonicSeconds()
            var run: Run = [:]
            for (position, query) in dataset.queries.enumerated() {
                let vector = searchMode == .lexical ? nil : vectors[position]
                var scores = try search(
                    base.index, text: searchMode == .dense ? nil : query.text, vector: vector, mode: searchMode,
                    ranking: ranking)
                scores = try await reranked(scores, query: query.text, base: base, mode: searchMode)
                // BEIR's evaluation drops a document that has the query's id.
                scores.removeValue(forKey: query.id)
                run[query.id] = scores
            }
            try report(
                RankingMetrics.evaluate(run: run, qrels: dataset.qrels), mode: searchMode,
                seconds: monotonicSeconds() - started, backend: nil)
        }
    }

    /// Every mode scored through `backend`'s Qdrant collection, as `search` scores the local index.
    func scoreThroughQdrant(_ dataset: BEIRDataset, backend: EvalBackend) async throws {
        for searchMode in mode.modes {
            let started = monotonicSeconds()
            var run: Run = [:]
            for query in dataset.queries {
                var depth = topK * 2
                var scores: [String: Double] = [:]
                while true {
                    let hits = try await backend.search(query.text, topK: depth, mode: searchMode)
                    scores = [:]
                    for hit in hits where scores[hit.documentID] == nil && scores.count < topK {
                        scores[hit.documentID] = hit.score
                    }
                    if scores.count == topK || hits.count < depth || depth >= 1000 { break }
                    depth = min(depth * 2, 1000)
                }
                scores.removeValue(forKey: query.id)
                run[query.id] = scores
            }
            try report(
                RankingMetrics.evaluate(run: run, qrels: dataset.qrels), mode: searchMode,
                seconds: monotonicSeconds() - started, backend: "qdrant")
        }
    }

    /// Prints one mode's figures: a JSON object with `--json`, else a line; `backend` names Qdrant when it ranked.
    func report(_ metrics: RankingSummary, mode: SearchMode, seconds: Double, backend: String?) throws {
        if json {
            var object: [String: Any] = [
                "mode": mode.rawValue, "ndcg_at_10": metrics.ndcgAt10, "recall_at_100": metrics.recallAt100,
                "mrr_at_10": metrics.mrrAt10, "queries": metrics.queries, "seconds": seconds,
            ]
            if let backend { object["backend"] = backend }
            try printJSON(object)
        } else {
            print(
                String(
                    format: "%@%@: nDCG@10 %.4f  recall@100 %.4f  MRR@10 %.4f  (%d queries, %.1fs)", mode.rawValue,
                    backend.map { " (\($0))" } ?? "", metrics.ndcgAt10, metrics.recallAt100, metrics.mrrAt10,
                    metrics.queries, seconds))
        }
    }

    /// The best `topK` documents for one query with their best chunk's score: chunks are fetched until
    /// `topK` distinct documents are found or the index has no more.
    func search(
        _ index: RetrievalIndex, text: String?, vector: [Float]?, mode: SearchMode, ranking: RankingOptions
    ) throws -> [String: Double] {
        var depth = topK * 2
        while true {
            let hits = try index.search(SearchQuery(vector: vector, text: text, mode: mode, k: depth, ranking: ranking))
            var scores: [String: Double] = [:]
            for hit in hits where scores[hit.documentID] == nil {
                scores[hit.documentID] = hit.score
                if scores.count == topK { return scores }
            }
            if hits.count < depth || depth >= index.count { return scores }
            depth *= 2
        }
    }

    /// A knowledge base in `dataDirectory` with its own SQLite store and the persistent embedding cache.
    func openBase(_ dataDirectory: URL) async throws -> KnowledgeBase {
        let embedder = try model.load()
        let defaultCache = try DataOptions.parse([]).embeddingCacheDirectory
        let cacheDirectory = cacheDir.map { URL(fileURLWithPath: $0) } ?? defaultCache
        do {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
            let cache = try EmbeddingCache(
                directory: cacheDirectory, fingerprint: embedder.fingerprint, dimension: embedder.dimension)
            let cached = try CachedEmbedder(base: embedder, cache: cache)
            // Always SQLite: the benchmark must not write into a database DATABASE_URL names.
            let store = try SQLiteStore(path: dataDirectory.appendingPathComponent("aigov.sqlite").path)
            try await store.migrate()
            var options = try RerankerSettings.apply(
                to: KnowledgeBase.Options(index: indexConfiguration(stemming: !noStemming)), threads: model.threads)
            // The ranking serve uses, so ingest writes windows as it does elsewhere and SciFact measures them too.
            options.ranking = try rankingOptions(ProcessInfo.processInfo.environment)
            return try await KnowledgeBase.open(
                dataDirectory: dataDirectory, store: store, embedder: cached, tokenCounter: embedder.tokenizer,
                options: options
            ).0
        } catch let error as EmbedError {
            throw CLIError(error.description)
        } catch let error as StoreError {
            throw CLIError(error.description)
        } catch let error as IngestError {
            throw CLIError(error.message)
        } catch let error as RetrievalError {
            throw CLIError("index: \(error)")
        }
    }

    /// A corpus entry as a document: the title, a blank line, the text (BEIR's models and BM25 baselines
    /// read title and text together). Whitespace runs inside each become single spaces.
    static func document(_ entry: BEIRDocument) -> Document {
        func squeeze(_ text: String) -> String {
            text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let title = squeeze(entry.title)
        let body = squeeze(entry.text)
        let text = title.isEmpty ? body : body.isEmpty ? title : title + "\n\n" + body
        return Document(id: entry.id, title: title.isEmpty ? entry.id : title, source: "beir", type: .text, text: text)
    }
}

struct EvalQuestions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "questions",
        abstract: "Ask every question of a JSONL file and score the retrieved passages (hit@1, hit@5, MRR, nDCG@10).",
        discussion: """
            Each line is {"question": ..., "expect": [phrases]}, optionally with "id", "split", "document" and \
            "provision". A question is a hit at rank r when the r-th passage is the first whose text contains any \
            expected phrase (NFKC, case and whitespace insensitive): hit@1, hit@5 and MRR count these within \
            --top-k. Questions naming a document and a provision are also scored at section level: a passage is \
            relevant when it comes from that document and its section names the same unit as the provision \
            (Article 5(1)(f) and Article 5(3) are both Article 5; Annex III points, NIST subcategories and \
            dotted section numbers compare as README says); nDCG@10 is binary with one relevant provision, \
            1/log2(1+r) for the first relevant passage at rank r <= 10. Ten passages are retrieved for it \
            whatever --top-k. hit@30: the share whose phrase is among the first 30 passages, which the \
            cross-encoder stage reorders: what it could bring to the top, the ceiling of any reranking. Searches \
            the data directory's knowledge base; --ingest adds files first. Without --split the summary is \
            printed for all questions and for each split the file names.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Argument(help: "The questions (JSON Lines).")
    var file: String

    @Option(help: "Passages retrieved per question.")
    var topK = 5

    @Option(help: "dense, lexical, hybrid, or all.")
    var mode: EvalMode = .hybrid

    @Option(help: "Only the questions of this split (tune, heldout or fresh).")
    var split: String?

    @Option(help: "Ingest these files or folders first (repeatable).")
    var ingest: [String] = []

    @Flag(help: "BM25 without Porter stemming, to measure what stemming brings.")
    var noStemming = false

    @Flag(help: "Print one JSON object per mode on stdout.")
    var json = false

    func validate() throws {
        guard (1...50).contains(topK) else { throw ValidationError("--top-k must be between 1 and 50") }
    }

    /// One question's outcome.
    struct Outcome {
        var item: EvaluationQuestion
        var rank: Int?
        /// Nil for a question without document and provision.
        var sectionRank: Int??
        var top: [Citation]
        /// The phrase's rank among the first ``EvalQuestions/rerankingDepth`` passages.
        var deepRank: Int?
    }

    /// The passages the cross-encoder stage reorders by default: hit@30 is the ceiling of any reranking.
    static let rerankingDepth = RerankingStage.defaultTopN

    func run() async throws {
        let questions = try loadQuestions(file, split: split)
        let base = try await openKnowledgeBase(
            data, model,
            options: RerankerSettings.apply(
                to: KnowledgeBase.Options(index: indexConfiguration(stemming: !noStemming)), threads: model.threads))
        if !ingest.isEmpty {
            let files: [URL]
            do {
                files = try InputCollector.files(ingest)
            } catch let error as IngestError {
                throw CLIError(error.message)
            }
            let printer = IngestProgressPrinter()
            let summary = await base.ingest(files: files, progress: printer.report)
            printer.finish(summary)
            if summary.documentsFailed > 0 { throw CLIError("\(summary.documentsFailed) files failed to ingest") }
        }
        let reachable = try await reachableProvisions(questions, base: base)
        let splits = split == nil ? orderedSplits(questions) : []
        // RETRIEVAL_BACKEND=qdrant measures the ranking Qdrant gives (the collection synced first); a search that
        // falls back to the local index would measure the wrong thing, so it fails the run instead.
        let search = try await EvalBackend(base: base)
        for searchMode in mode.modes {
            var outcomes: [Outcome] = []
            for item in questions {
                // Every length up to 50 is a prefix of one ranking (SearchQuery.defaultFusionDepth), so one search
                // gives the top k, the ten of nDCG@10 and the thirty of hit@30.
                let results = try await search.search(
                    item.question, topK: max(topK, 10, Self.rerankingDepth), mode: searchMode)
                let top = Array(results.prefix(topK))
                // One match over all the passages read; the top k and the thirty are prefixes of them.
                let firstHit = PhraseMatcher.firstHit(passages: results.map(\.content), phrases: item.expect)
                let rank = firstHit.flatMap { $0 <= topK ? $0 : nil }
                var sectionRank: Int?? = nil
                if let document = item.document, let provision = item.provision {
                    sectionRank = .some(
                        SectionMatcher.firstMatch(
                            passages: results.prefix(10).map { ($0.documentID, $0.section) }, document: document,
                            provision: provision))
                }
                let deepRank = firstHit.flatMap { $0 <= Self.rerankingDepth ? $0 : nil }
                outcomes.append(
                    Outcome(item: item, rank: rank, sectionRank: sectionRank, top: top, deepRank: deepRank))
            }
            let overall = summary(outcomes)
            let perSplit = splits.map { name in (name, summary(outcomes.filter { $0.item.split == name })) }
            let misses = outcomes.filter { $0.rank == nil }
            if json {
                var object = fields(overall)
                object["mode"] = searchMode.rawValue
                object["top_k"] = topK
                object["section_reachable"] = reachable
                if let split { object["split"] = split }
                if !perSplit.isEmpty {
                    object["splits"] = Dictionary(uniqueKeysWithValues: perSplit.map { ($0.0, fields($0.1)) })
                }
                object["misses"] = misses.map(missObject)
                try printJSON(object)
            } else {
                print("\(searchMode.rawValue)\(split.map { " (\($0))" } ?? ""): \(line(overall))")
                for (name, summary) in perSplit { print("  \(name): \(line(summary))") }
                print(
                    "  \(misses.count) missed in the top \(topK); provisions matching a stored section: "
                        + "\(reachable) of \(overall.sectionJudged)")
                for miss in misses {
                    print("  miss: \(miss.item.id.map { "[\($0)] " } ?? "")\(miss.item.question)")
                }
            }
        }
    }

    func summary(_ outcomes: [Outcome]) -> QuestionSummary {
        QuestionSummary(
            ranks: outcomes.map(\.rank), sectionRanks: outcomes.compactMap(\.sectionRank),
            deepRanks: outcomes.map(\.deepRank))
    }

    func fields(_ summary: QuestionSummary) -> [String: Any] {
        var object: [String: Any] = [
            "hit_at_1": summary.hitAt1, "hit_at_5": summary.hitAt5, "hit_at_30": summary.hitAt30 ?? NSNull(),
            "mrr": summary.mrr,
            "questions": summary.questions, "section_judged": summary.sectionJudged,
        ]
        object["ndcg_at_10"] = summary.sectionNDCGAt10 ?? NSNull()
        return object
    }

    func line(_ summary: QuestionSummary) -> String {
        let ndcg = summary.sectionNDCGAt10.map { String(format: "%.3f", $0) } ?? "-"
        return String(
            format: "hit@1 %.3f  hit@5 %.3f  MRR %.3f  nDCG@10 %@  hit@30 %@  (%d questions)", summary.hitAt1,
            summary.hitAt5, summary.mrr, ndcg, summary.hitAt30.map { String(format: "%.3f", $0) } ?? "-",
            summary.questions)
    }

    func missObject(_ miss: Outcome) -> [String: Any] {
        var object: [String: Any] = [
            "question": miss.item.question, "expect": miss.item.expect,
            "top": miss.top.map { result in
                [
                    "document_id": result.documentID, "section": result.section ?? "",
                    "snippet": String(result.content.prefix(160)),
                ]
            },
        ]
        if let id = miss.item.id { object["id"] = id }
        if let split = miss.item.split { object["split"] = split }
        if let provision = miss.item.provision { object["provision"] = provision }
        if let document = miss.item.document { object["document"] = document }
        return object
    }

    /// How many judged questions have at least one stored chunk of their document whose section matches their
    /// provision: the ceiling of section-level scoring, below the question count where chunk labels are wrong.
    func reachableProvisions(_ questions: [EvaluationQuestion], base: KnowledgeBase) async throws -> Int {
        var sections: [String: [String?]] = [:]
        var count = 0
        for item in questions {
            guard let document = item.document, let provision = item.provision else { continue }
            if sections[document] == nil {
                sections[document] = try await base.store.chunks(documentID: document).map(\.section)
            }
            let passages = (sections[document] ?? []).map { (documentID: document, section: $0) }
            if SectionMatcher.firstMatch(passages: passages, document: document, provision: provision) != nil {
                count += 1
            }
        }
        return count
    }
}

/// The default index settings with BM25 stemming on or off (the dimension is the embedder's, set on open).
func indexConfiguration(stemming: Bool) -> IndexConfiguration {
    IndexConfiguration(dimension: 384, stemming: stemming)
}

/// Progress of a long count on stderr: a redrawn bar on a terminal, a line every tenth otherwise.
final class CountProgress: @unchecked Sendable {
    // @unchecked: the fields are touched under `lock`.
    private let lock = NSLock()
    private let bar: ProgressBarBox
    private let label: String
    private let interactive = isatty(2) != 0
    private var lastTenth = 0

    init(_ label: String) {
        self.label = label
        bar = ProgressBarBox(label)
    }

    func update(_ done: Int, _ total: Int) {
        if interactive { return bar.update(done, total) }
        lock.lock()
        defer { lock.unlock() }
        let tenth = total > 0 ? done * 10 / total : 10
        if tenth > lastTenth && done < total {
            lastTenth = tenth
            printError("\(label): \(done)/\(total)")
        }
    }

    func finish() {
        if interactive { bar.finish() }
    }
}
