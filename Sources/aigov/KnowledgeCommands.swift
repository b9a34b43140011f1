import APIServer
import ArgumentParser
import Crawling
import Documents
import EmbedCache
import Foundation
import Knowledge
import Origins
import Retrieval
import Settings
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// The metadata store of `data` (SQLite unless `DATABASE_URL` names PostgreSQL), migrated. A PostgreSQL store's
/// pool ends with the process (or `closeMetadataStore`).
func openStore(_ data: DataOptions) async throws -> any MetadataStore {
    do {
        let location = try DatabaseLocation(
            databaseURL: ProcessInfo.processInfo.environment["DATABASE_URL"], dataDirectory: data.dataDirectory)
        if case .sqlite = location {
            try FileManager.default.createDirectory(at: data.dataDirectory, withIntermediateDirectories: true)
        }
        return try await openMetadataStore(location)
    } catch let error as StoreError {
        throw CLIError(error.description)
    }
}

/// Loads the model, its cache and the store, opens the knowledge base of the data directory and repairs its
/// index, reporting any repair on stderr.
func openKnowledgeBase(
    _ data: DataOptions, _ model: ModelOptions, options: KnowledgeBase.Options = KnowledgeBase.Options()
) async throws -> KnowledgeBase {
    let embedder = try model.load()
    let cached = try data.cachedEmbedder(for: embedder)
    let store = try await openStore(data)
    do {
        // With a Qdrant mirror configured, every commit queues its outbox rows (pushed by `serve` or `aigov sync`).
        let environment = ProcessInfo.processInfo.environment
        let settings = try searchSettings(environment)
        var options = options
        options.queueOutbox = options.queueOutbox || settings.qdrant != nil
        options.localIndex = settings.localIndex
        options.queryCacheBytes = settings.queryCacheMegabytes << 20
        if settings.queryBatchSize > 1 {
            options.queryBatching = BatchingEmbedder.Settings(
                window: .milliseconds(settings.queryBatchWindowMilliseconds), maxTexts: settings.queryBatchSize)
        }
        // An explicit index configuration (eval's --no-stemming) wins over the environment.
        if options.index == nil {
            var index = IndexConfiguration(dimension: embedder.dimension, stemming: settings.bm25Stemming)
            index.quantizeFromRows = settings.indexQuantizeFromRows
            options.index = index
        }
        if options.ranking == .plain { options.ranking = try rankingOptions(environment) }
        let (base, report) = try await KnowledgeBase.open(
            dataDirectory: data.dataDirectory, store: store, embedder: cached, tokenCounter: embedder.tokenizer,
            options: options)
        if !report.isClean {
            printError(
                "index repaired: \(report.removedFromIndex) stale records removed, \(report.addedToIndex) stored "
                    + "chunks indexed (\(report.embedded) embedded)")
        }
        return base
    } catch let error as IngestError {
        throw CLIError(error.message)
    } catch let error as RetrievalError {
        throw CLIError("index: \(error)")
    }
}

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Parse, chunk, embed and index documents (PDF, HTML, Markdown, text, JSON).",
        discussion: """
            Directories are read recursively, skipping hidden files and names listed in a .aigovignore file. \
            Unchanged files are skipped without parsing; changed ones re-embed only their new chunks. A file \
            that fails is reported and the others go on; the exit code is 1 if any failed. An http(s) URL is \
            fetched through the crawler's SSRF guard and settings (CRAWL_*) and ingested as a crawl would, its \
            document id derived from the canonical URL and its citations pointing at the page.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Argument(help: "Files, directories or http(s) URLs.")
    var paths: [String]

    @Option(help: "Source recorded for every document (default: the file name).")
    var source: String?

    @Option(help: "Title of the document (only with a single file; default: from the document).")
    var title: String?

    @Option(help: "Document id (only with a single file; default: the file name).")
    var id: String?

    @Option(help: "URL recorded for the document (only with a single file).")
    var url: String?

    @Flag(help: "Print a JSON summary on stdout.")
    var json = false

    func run() async throws {
        let webURLs = paths.filter { $0.lowercased().hasPrefix("http://") || $0.lowercased().hasPrefix("https://") }
        let localPaths = paths.filter { !webURLs.contains($0) }
        if !webURLs.isEmpty {
            guard localPaths.isEmpty else { throw CLIError("give URLs and files in separate runs") }
            guard id == nil, url == nil else { throw CLIError("--id and --url come from the URL itself") }
            return try await ingestWeb(webURLs)
        }
        let files: [URL]
        do {
            files = try InputCollector.files(localPaths)
        } catch let error as IngestError {
            throw CLIError(error.message)
        }
        guard !files.isEmpty else { throw CLIError("no files found under \(paths.joined(separator: ", "))") }
        if files.count > 1, title != nil || id != nil || url != nil {
            throw CLIError("--title, --id and --url name one document; \(files.count) files were given")
        }
        let manifests: [String: CorpusManifest]
        do {
            manifests = try CorpusManifest.manifests(for: files)
        } catch {
            throw CLIError(error.message)
        }
        let base = try await openKnowledgeBase(data, model)
        let printer = IngestProgressPrinter()
        let summary = await base.ingest(
            files: files, options: DocumentLoader.Options(id: id, title: title, source: source, url: url),
            manifests: manifests, progress: printer.report)
        printer.finish(summary)
        try report(summary)
    }

    /// Web pages fetched through the guard, each its own document.
    func ingestWeb(_ addresses: [String]) async throws {
        let settings: CrawlSettings
        do {
            settings = try CrawlSettings(EnvironmentValues())
        } catch {
            throw CLIError("configuration: \(error)")
        }
        if addresses.count > 1, title != nil { throw CLIError("--title names one document; give one URL") }
        let base = try await openKnowledgeBase(data, model)
        let fetcher = settings.fetcher()
        var summary = IngestSummary()
        let started = Date()
        for address in addresses {
            do {
                guard let url = URL(string: address) else { throw CrawlError(.parseError, "the URL does not parse") }
                let outcome = try await WebPageIngest.ingest(
                    url, into: base, fetcher: fetcher, source: source, title: title)
                summary.record(outcome)
                printError(
                    "\(address): \(outcome.status.rawValue), \(outcome.chunks) chunks (\(outcome.chunksEmbedded) embedded)"
                )
            } catch {
                let message = (error as? CrawlError)?.description ?? KnowledgeBase.describe(error)
                summary.record(IngestFailure(path: address, error: message))
                printError("\(address): failed: \(message)")
            }
        }
        summary.seconds = Date().timeIntervalSince(started)
        try report(summary)
    }

    func report(_ summary: IngestSummary) throws {
        if json {
            try printJSON([
                "documents_added": summary.documentsAdded, "documents_updated": summary.documentsUpdated,
                "documents_unchanged": summary.documentsUnchanged, "documents_failed": summary.documentsFailed,
                "chunks_added": summary.chunksAdded, "chunks_removed": summary.chunksRemoved,
                "chunks_embedded": summary.chunksEmbedded, "seconds": summary.seconds,
                "failures": summary.failures.map { ["path": $0.path, "error": $0.error] },
                "peak_rss_bytes": peakRSSBytes(),
            ])
        }
        if summary.documentsFailed > 0 { throw ExitCode(1) }
    }
}

/// Ingest progress on stderr: one redrawn status line on a terminal, one line per file otherwise.
final class IngestProgressPrinter: @unchecked Sendable {
    // @unchecked: every field is touched under `lock`.
    private let lock = NSLock()
    private let interactive = isatty(2) != 0
    private var file = ""
    private var position = 0
    private var total = 0
    private var lastDraw = 0.0

    func report(_ event: IngestProgress) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .started(let path, let index, let total):
            file = URL(fileURLWithPath: path).lastPathComponent
            position = index + 1
            self.total = total
            draw("reading")
        case .embedding(let done, let count):
            let now = monotonicSeconds()
            if count > 0 && (now - lastDraw > 0.2 || done == count) {
                lastDraw = now
                draw("\(done)/\(count) chunks to index")
            }
        case .finished(_, _, _, let outcome, let failure):
            let text: String
            if let outcome {
                text =
                    "\(outcome.status.rawValue), \(outcome.chunks) chunks (+\(outcome.chunksAdded) "
                    + "-\(outcome.chunksRemoved), \(outcome.chunksEmbedded) embedded)"
            } else {
                text = "FAILED: \(failure?.error ?? "unknown error")"
            }
            draw(text, final: true)
        }
    }

    private func draw(_ status: String, final: Bool = false) {
        let line = "[\(position)/\(total)] \(file): \(status)"
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (final ? "\n" : "")).utf8))
        } else if final {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func finish(_ summary: IngestSummary) {
        printError(
            String(
                format: "%d added, %d updated, %d unchanged, %d failed; %d chunks added, %d removed, %d embedded "
                    + "in %.1fs",
                summary.documentsAdded, summary.documentsUpdated, summary.documentsUnchanged,
                summary.documentsFailed, summary.chunksAdded, summary.chunksRemoved, summary.chunksEmbedded,
                summary.seconds))
    }
}

extension SearchMode: ExpressibleByArgument {}

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Retrieve the passages that best match a question, with citations.")

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Argument(help: "The question or keywords.")
    var text: String

    @Option(help: "How many passages (1-50).")
    var topK: Int = 5

    @Option(help: "hybrid (dense + BM25, fused), dense or lexical.")
    var mode: SearchMode = .hybrid

    @Option(help: "Only sections equal to or inside this one, e.g. \"Article 6\".")
    var section: String?

    @Option(help: "Only this document id (repeatable).")
    var document: [String] = []

    @Flag(help: "Print {\"results\": [citation...]} on stdout.")
    var json = false

    func validate() throws {
        guard (1...50).contains(topK) else { throw ValidationError("--top-k must be between 1 and 50") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("the search text is empty")
        }
        guard text.count <= 2000 else { throw ValidationError("the search text is over 2,000 characters") }
    }

    func run() async throws {
        let base = try await openKnowledgeBase(data, model, options: RerankerSettings.apply(threads: model.threads))
        let filter = SearchFilter(documentIDs: document.isEmpty ? nil : Set(document), sectionPrefix: section)
        let results = try await ConfiguredSearch(base: base).search(text, topK: topK, mode: mode, filter: filter)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            struct Output: Encodable { let results: [Citation] }
            FileHandle.standardOutput.write(try encoder.encode(Output(results: results)) + Data("\n".utf8))
            return
        }
        if results.isEmpty { print("no results (is anything ingested? try `aigov ingest corpus`)") }
        for (rank, hit) in results.enumerated() {
            var place = [hit.documentTitle]
            if let section = hit.section { place.append(section) }
            if let start = hit.pageStart, let end = hit.pageEnd {
                place.append(start == end ? "p. \(start)" : "pp. \(start)-\(end)")
            }
            let snippet = hit.content.split(whereSeparator: \.isWhitespace).prefix(40).joined(separator: " ")
            print(String(format: "[%d] %@  (score %.4f)", rank + 1, place.joined(separator: " — "), hit.score))
            print("    \(snippet)\(hit.content.count > snippet.count ? " ..." : "")")
        }
    }
}

struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Check or rebuild the local index.",
        subcommands: [Verify.self, Rebuild.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the index's files and structure, and that it holds exactly the stored chunks.",
            discussion: "Opening repairs a disagreement left by a crash; verify then reports the repaired state.")

        @OptionGroup var data: DataOptions
        @OptionGroup var model: ModelOptions

        @Flag(help: "Print a JSON report on stdout.")
        var json = false

        func run() async throws {
            let base = try await openKnowledgeBase(data, model)
            let report: KnowledgeBase.Consistency
            do {
                report = try await base.verify()
            } catch let error as RetrievalError {
                throw CLIError("index damaged: \(error); `aigov index rebuild` makes a new one from the store")
            }
            if json {
                try printJSON([
                    "ok": report.agrees, "records": report.index.liveRecords, "graph_rows": report.index.graphRows,
                    "quantized": report.index.quantized,
                    "deleted_rows": report.index.deletedRows, "segment_bytes": report.index.segmentBytes,
                    "log_records": report.index.logRecords, "stored_chunks": report.storedChunks,
                    "stored_documents": report.storedDocuments, "extra_in_index": report.extraInIndex.count,
                    "missing_from_index": report.missingFromIndex.count,
                ])
            } else {
                printError(
                    "index: \(report.index.liveRecords) records (\(report.index.deletedRows) deleted rows pending), "
                        + "store: \(report.storedDocuments) documents, \(report.storedChunks) chunks; "
                        + (report.agrees
                            ? "they agree"
                            : "\(report.extraInIndex.count) extra, \(report.missingFromIndex.count) missing"))
            }
            if !report.agrees { throw ExitCode(1) }
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a new index from the store and the embedding cache, then swap it in.")

        @OptionGroup var data: DataOptions
        @OptionGroup var model: ModelOptions

        @Flag(help: "Print a JSON summary on stdout.")
        var json = false

        func run() async throws {
            let embedder = try model.load()
            let cached = try data.cachedEmbedder(for: embedder)
            let store = try await openStore(data)
            let started = monotonicSeconds()
            let bar = ProgressBarBox()
            let report: KnowledgeBase.RepairReport
            do {
                // The rebuilt records carry windows exactly when ingest would write them.
                let options = KnowledgeBase.Options(ranking: try rankingOptions(ProcessInfo.processInfo.environment))
                report = try await KnowledgeBase.rebuildIndex(
                    dataDirectory: data.dataDirectory, store: store, embedder: cached,
                    tokenCounter: embedder.tokenizer, options: options, progress: bar.update)
            } catch let error as IngestError {
                throw CLIError(error.message)
            }
            bar.finish()
            let seconds = monotonicSeconds() - started
            if json {
                try printJSON(["records": report.addedToIndex, "embedded": report.embedded, "seconds": seconds])
            } else {
                printError(
                    String(
                        format: "index rebuilt: %d records (%d embedded) in %.1fs", report.addedToIndex,
                        report.embedded, seconds))
            }
        }
    }
}

/// A progress bar created on the first report, when the total is known.
final class ProgressBarBox: @unchecked Sendable {
    // @unchecked: `bar` and `reported` are touched under `lock`.
    private let lock = NSLock()
    private var bar: ProgressBar?
    private var reported = 0
    private let label: String

    init(_ label: String = "indexing") { self.label = label }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        if bar == nil { bar = ProgressBar(label, total: total) }
        bar?.advance(by: done - reported)
        reported = done
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        bar?.finish()
    }
}
