import AigovTestSupport
import Crawling
import Documents
import EmbedCache
import Foundation
import Knowledge
import Origins
import Store
import Testing

/// A small embedder that counts words into buckets: the crawl tests are about what is fetched and stored, not how
/// well it ranks, and the real model would make every ingest of the test PDF take seconds.
struct BucketEmbedder: Embedder {
    let dimension = 32
    let fingerprint = "bucket-embedder-v1"

    func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map { text in
            var vector = [Float](repeating: 0.01, count: dimension)
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
                vector[Int(word.utf8.reduce(UInt32(7)) { $0 &* 31 &+ UInt32($1) } % UInt32(dimension))] += 1
            }
            return vector
        }
    }
}

/// Crawls of the test site (Tests/Support/crawl_test_site.py) through the scheduler, as `serve` runs them.
@Suite struct CrawlRunTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func knowledgeBase(_ directory: URL) async throws -> KnowledgeBase {
        let tokenizer = try WordPieceTokenizer(
            modelDirectory: ModelLocator.modelDirectory(
                explicit: Self.root.appendingPathComponent(ModelLocator.relativeDefault).path))
        let store = try await SQLiteStore.open(path: directory.appendingPathComponent("aigov.sqlite").path)
        return try await KnowledgeBase.open(
            dataDirectory: directory, store: store, embedder: BucketEmbedder(), tokenCounter: tokenizer
        ).0
    }

    func withSite<T>(_ body: (Int, KnowledgeBase) async throws -> T) async throws -> T {
        let site = try await offThePool {
            try PythonPeer.start(
                script: "crawl_test_site.py",
                arguments: [Self.root.appendingPathComponent("fixtures/governance/nist-ai-100-1_ai-rmf-1.0.pdf").path],
                failure: "the crawl test site did not start")
        }
        defer { site.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "aigov-crawl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(site.port, try await knowledgeBase(directory))
    }

    func settings(port: Int) -> CrawlSettings {
        var settings = CrawlSettings()
        settings.allowHosts = ["127.0.0.1:\(port)"]
        settings.delayBetweenRequests = .zero
        settings.timeout = .seconds(10)
        settings.retryAttempts = 0
        return settings
    }

    @Test func aDueOriginIsCrawledThenRecrawledConditionally() async throws {
        try await withSite { port, base in
            let store = base.store
            let home = "http://127.0.0.1:\(port)/"
            let origin = try await store.createOrigin(
                OriginDraft(url: home, name: "Test regulator", maxDepth: 1, maxPages: 20))
            let scheduler = OriginScheduler(knowledgeBase: base, settings: settings(port: port), owner: "replica-a")

            let first = try #require(try await scheduler.runDue().first)
            #expect(first.status == .completed && first.trigger == .scheduler, "\(first.errors)")
            let c = first.counts
            // The home page, the guidance page, two linked pages and the PDF; /private is disallowed by robots.txt.
            #expect(c.pagesAttempted == 5 && c.pagesSucceeded == 5 && c.documentsAdded == 5, "\(c) \(first.errors)")
            #expect(c.pagesRobotsDisallowed == 1 && first.errors.map(\.code) == ["ROBOTS_DISALLOWED"])
            #expect(c.chunksEmbedded > 10)
            // The document of a page points at the page, not at the origin.
            let pdfURL = "http://127.0.0.1:\(port)/act.pdf"
            let pdf = try #require(try await store.document(id: CrawlRun.documentID(forCanonicalURL: pdfURL)))
            #expect(pdf.url == pdfURL && pdf.type == "pdf")
            let scheduled = try #require(try await store.origin(id: origin.id))
            #expect(scheduled.lastStatus == "completed" && scheduled.nextRun.map { $0 > Date() + 23 * 3600 } == true)
            // Not due again: a second pass crawls nothing.
            #expect(try await scheduler.runDue().isEmpty)

            // Asked for now: the stable page answers 304, the changing page is updated, the others are unchanged.
            let (queued, crawl) = try #require(try await scheduler.crawlNow(originID: origin.id, trigger: .api))
            #expect(queued.status == .queued && queued.trigger == .api)
            await crawl()
            let second = try #require(try await store.crawlJob(id: queued.id))
            #expect(second.status == .completed, "\(second.errors)")
            #expect(second.counts.pagesNotModified == 1 && second.counts.documentsUpdated == 1, "\(second.counts)")
            #expect(second.counts.documentsAdded == 0 && second.counts.documentsUnchanged == 4, "\(second.counts)")
            #expect(
                try await store.crawlJobs(originID: origin.id, limit: 10, offset: 0).map(\.id) == [second.id, first.id])
        }
    }

    /// A page that answers 304 has no body to read links from; the crawl follows the links it had when last
    /// fetched whole, so a changed page below an unchanged one is still seen.
    @Test func linksOfAnUnchangedPageAreStillFollowed() async throws {
        try await withSite { port, base in
            var settings = settings(port: port)
            settings.respectRobotsTxt = false
            let origin = try await base.store.createOrigin(
                OriginDraft(url: "http://127.0.0.1:\(port)/etag-hub.html", name: "Hub", maxDepth: 1))
            let scheduler = OriginScheduler(knowledgeBase: base, settings: settings, owner: "a")
            let first = try #require(try await scheduler.runDue().first)
            #expect(first.counts.pagesAttempted == 2 && first.counts.documentsAdded == 2, "\(first.counts)")
            let (job, crawl) = try #require(try await scheduler.crawlNow(originID: origin.id, trigger: .api))
            await crawl()
            let second = try #require(try await base.store.crawlJob(id: job.id))
            #expect(second.counts.pagesNotModified == 1 && second.counts.pagesAttempted == 2, "\(second.counts)")
            #expect(second.counts.documentsUpdated == 1, "\(second.counts)")
        }
    }

    @Test func theGuardAndTheBudgetsHold() async throws {
        try await withSite { port, base in
            let store = base.store
            // Loopback without the allow-list: the job fails at the first request, classified.
            var closed = settings(port: port)
            closed.allowHosts = []
            let origin = try await store.createOrigin(OriginDraft(url: "http://127.0.0.1:\(port)/", name: "Closed"))
            let blocked = try #require(
                try await OriginScheduler(knowledgeBase: base, settings: closed, owner: "a").runDue().first)
            #expect(blocked.status == .failed && blocked.error?.hasPrefix("BLOCKED_ADDRESS") == true, "\(blocked)")
            #expect(try await store.origin(id: origin.id)?.lastStatus?.hasPrefix("failed: BLOCKED_ADDRESS") == true)

            // A page budget of 2 and a redirect to the metadata address inside the site.
            try await store.deleteOrigin(id: origin.id)
            let small = try await store.createOrigin(
                OriginDraft(url: "http://127.0.0.1:\(port)/", name: "Small", maxDepth: 3, maxPages: 2))
            let job = try #require(
                try await OriginScheduler(knowledgeBase: base, settings: settings(port: port), owner: "b").runDue()
                    .first)
            #expect(job.counts.pagesAttempted == 2 && job.status == .completed, "\(job.counts)")
            _ = small
            let metadata = try await store.createOrigin(
                OriginDraft(url: "http://127.0.0.1:\(port)/to-metadata", name: "Redirect", maxDepth: 0))
            let redirected = try #require(
                try await OriginScheduler(knowledgeBase: base, settings: settings(port: port), owner: "c").runDue()
                    .first)
            #expect(redirected.originID == metadata.id && redirected.status == .failed)
            #expect(redirected.errors.first?.code == "BLOCKED_ADDRESS", "\(redirected.errors)")

            // A redirect to a path robots.txt disallows is not followed: the private page is never requested.
            _ = try await store.createOrigin(
                OriginDraft(url: "http://127.0.0.1:\(port)/to-private", name: "Private redirect", maxDepth: 0))
            let disallowed = try #require(
                try await OriginScheduler(knowledgeBase: base, settings: settings(port: port), owner: "d").runDue()
                    .first)
            #expect(disallowed.counts.pagesRobotsDisallowed == 1 && disallowed.status == .failed, "\(disallowed)")
            #expect(disallowed.errors.first?.code == "ROBOTS_DISALLOWED", "\(disallowed.errors)")
            let hits =
                try JSONSerialization.jsonObject(
                    with: try Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/__hits")!)) as? [String: Int]
            #expect(hits?["/to-private"] == 1 && hits?["/private/secret.html"] == nil, "\(hits ?? [:])")
        }
    }
}
