import ArgumentParser
import Crawling
import EmbedCache
import Foundation
import Hummingbird
import Knowledge
import Logging
import Origins
import Store
import Synchronization

/// `aigov bench crawl`: a crawl of a generated site, cold and then again unchanged (issue 17's "Measure"). The site
/// is served in this process on loopback: a home page linking every page, each page a few paragraphs of policy
/// text with an ETag, so the second crawl should be a run of 304s that embeds nothing.
struct BenchCrawl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl",
        abstract: "Crawl a generated site twice (cold, then unchanged): pages/s, requests, embeddings.",
        discussion: """
            The knowledge base is a fresh one in a temporary directory (SQLite, the built-in encoder), removed \
            afterwards. Requests are counted by the site; embeddings by a counter in front of the encoder (texts \
            the model computed, chunk windows included). No delay between requests (CRAWL_DELAY_BETWEEN_REQUESTS \
            0), robots.txt not read, one crawl job per pass as the scheduler runs it.
            """)

    @OptionGroup var model: ModelOptions

    @Option(help: "Pages of the generated site (the home page not counted).")
    var pages = 500

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard (1...100_000).contains(pages) else { throw ValidationError("--pages must be 1...100000") }
    }

    /// A counter the site's handlers and the encoder share.
    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func add(_ amount: Int) { value.add(amount, ordering: .relaxed) }
        var current: Int { value.load(ordering: .relaxed) }
    }

    /// An encoder that counts the texts it computes.
    struct CountingEmbedder: Embedder {
        let base: any Embedder
        let count = Counter()
        var dimension: Int { base.dimension }
        var fingerprint: String { base.fingerprint }

        func embed(_ texts: [String]) async throws -> [[Float]] {
            count.add(texts.count)
            return try await base.embed(texts)
        }
    }

    /// Deterministic policy text for page `index`: three paragraphs from a fixed vocabulary.
    static func pageText(_ index: Int) -> String {
        let subjects = [
            "providers of high-risk AI systems", "deployers", "the supervisory authority", "importers",
            "notified bodies", "the national regulator", "developers of general-purpose models", "public bodies",
        ]
        let duties = [
            "shall keep technical documentation up to date", "shall report serious incidents without delay",
            "shall assess the risks to fundamental rights", "shall ensure human oversight of the system",
            "shall inform the persons concerned", "shall register the system before it is placed on the market",
            "shall keep the logs the system generates", "shall cooperate with the market surveillance authority",
        ]
        var paragraphs: [String] = []
        for paragraph in 0..<3 {
            var sentences: [String] = []
            for sentence in 0..<5 {
                let n = index * 31 + paragraph * 7 + sentence * 3
                sentences.append(
                    "Under guidance note \(index).\(paragraph + 1).\(sentence + 1), \(subjects[n % subjects.count]) "
                        + "\(duties[(n / 3) % duties.count]).")
            }
            paragraphs.append("<p>" + sentences.joined(separator: " ") + "</p>")
        }
        return "<!doctype html><html><head><title>Guidance note \(index)</title></head><body><h1>Guidance note "
            + "\(index)</h1>" + paragraphs.joined() + "</body></html>"
    }

    func run() async throws {
        let requests = Counter()
        let count = pages
        let router = Router()
        router.get("/") { _, _ -> Response in
            requests.add(1)
            let links = (0..<count).map { #"<a href="/p/\#($0).html">Note \#($0)</a>"# }.joined(separator: " ")
            return Self.html("<!doctype html><html><head><title>Guidance</title></head><body>\(links)</body></html>")
        }
        router.get("/p/{name}") { request, context -> Response in
            requests.add(1)
            guard let name = context.parameters.get("name"), name.hasSuffix(".html"),
                let index = Int(name.dropLast(5)), (0..<count).contains(index)
            else { return Response(status: .notFound) }
            let tag = "\"note-\(index)\""
            if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: [.eTag: tag]) }
            var response = Self.html(Self.pageText(index))
            response.headers[.eTag] = tag
            return response
        }
        let port = try freeLoopbackPort()
        let (running, signal) = AsyncStream.makeStream(of: Void.self)
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in signal.yield() }, logger: Self.quietLogger)
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        for await _ in running { break }

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-bench-crawl-\(UUID())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let bert = try model.load()
        let counting = CountingEmbedder(base: bert)
        let store = try await SQLiteStore.open(path: work.appendingPathComponent("aigov.sqlite").path)
        let (base, _) = try await KnowledgeBase.open(
            dataDirectory: work, store: store, embedder: counting, tokenCounter: bert.tokenizer)
        var settings = CrawlSettings()
        settings.allowHosts = ["127.0.0.1:\(port)"]
        settings.delayBetweenRequests = .zero
        settings.respectRobotsTxt = false
        settings.maxPagesPerRun = count + 1
        settings.maxDepth = 1
        let origin = try await store.createOrigin(
            OriginDraft(url: "http://127.0.0.1:\(port)/", name: "Bench site", maxDepth: 1, maxPages: count + 1))
        let scheduler = OriginScheduler(knowledgeBase: base, settings: settings, owner: "bench")

        var passes: [[String: Any]] = []
        for name in ["cold", "unchanged"] {
            let before = (requests.current, counting.count.current)
            let started = ContinuousClock.now
            guard let (job, crawl) = try await scheduler.crawlNow(originID: origin.id, trigger: .cli) else {
                throw CLIError("the origin is being crawled")
            }
            await crawl()
            let seconds = (ContinuousClock.now - started).timeInterval
            guard let done = try await store.crawlJob(id: job.id) else { throw CLIError("the job vanished") }
            let c = done.counts
            let pass: [String: Any] = [
                "pass": name, "status": done.status.rawValue, "seconds": seconds,
                "pages_per_second": Double(c.pagesAttempted) / seconds, "pages_attempted": c.pagesAttempted,
                "pages_succeeded": c.pagesSucceeded, "pages_not_modified": c.pagesNotModified,
                "requests": requests.current - before.0,
                "texts_embedded": counting.count.current - before.1,
                "chunks_embedded": c.chunksEmbedded, "documents_added": c.documentsAdded,
                "documents_unchanged": c.documentsUnchanged,
            ]
            passes.append(pass)
            if !json {
                print(
                    "\(name): \(done.status.rawValue) in \(String(format: "%.2f", seconds)) s, "
                        + "\(c.pagesAttempted) pages (\(String(format: "%.1f", Double(c.pagesAttempted) / seconds)) "
                        + "pages/s), \(pass["requests"]!) requests, \(c.pagesNotModified) not modified, "
                        + "\(pass["texts_embedded"]!) texts embedded (\(c.chunksEmbedded) chunks)")
            }
        }
        try await base.checkpoint()
        if json { try printJSON(["pages": count, "passes": passes]) }
    }

    /// The site's own log would interleave with the figures; only its failures matter, and the crawl reports them.
    static let quietLogger: Logger = {
        var logger = Logger(label: "aigov-bench-crawl-site")
        logger.logLevel = .critical
        return logger
    }()

    static func html(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
