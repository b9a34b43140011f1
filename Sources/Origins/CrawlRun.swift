import ConcurrencySupport
import Crawling
import Documents
import Foundation
import Knowledge
import Store
import Synchronization

/// One crawl of one origin (issue 17; ARCHITECTURE.md, "Origins"): breadth-first from the origin's URL and its
/// sitemap, same host only, within the origin's depth, page, byte and time budgets, every request through the
/// ``GuardedFetcher``, robots.txt respected, pages already seen asked for conditionally. Each page or PDF becomes
/// its own document (id from its canonical URL, `url` the page), committed through the knowledge base, so an
/// unchanged page costs a 304 and a changed one re-embeds only its changed chunks; a page gone (404 or 410) on two
/// runs in a row loses its document.
///
/// The job's counts and failed pages are written after every page, which is also its heartbeat; a write the store
/// refuses means the job was cancelled or given up as abandoned, and the crawl stops there.
public struct CrawlRun: Sendable {
    public let knowledgeBase: KnowledgeBase
    public let settings: CrawlSettings
    public let fetcher: GuardedFetcher
    /// The replica running it (the job's `owner`).
    public let owner: String

    public init(knowledgeBase: KnowledgeBase, settings: CrawlSettings, fetcher: GuardedFetcher, owner: String) {
        self.knowledgeBase = knowledgeBase
        self.settings = settings
        self.fetcher = fetcher
        self.owner = owner
    }

    private var store: any MetadataStore { knowledgeBase.store }

    /// The id of the document a page becomes: `web-` and 24 hex digits of the SHA-256 of its canonical URL.
    public static func documentID(forCanonicalURL url: String) -> String {
        "web-" + Hashing.sha256Hex(url).prefix(24)
    }

    /// Starts the queued job `jobID` and crawls `origin`; returns the job as it ended (or as the store has it
    /// when the crawl stopped because the job was cancelled).
    public func run(jobID: String, origin: Origin) async throws -> CrawlJob {
        _ = try await store.startCrawlJob(id: jobID, owner: owner, now: Date())
        let progress = Progress()
        let heartbeat = Task { [store, owner] in
            // Between pages a slow fetch may take a while: the heartbeat goes on regardless.
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(20))
                if Task.isCancelled { return }
                let (counts, errors) = progress.snapshot
                _ = try? await store.recordCrawlProgress(
                    id: jobID, owner: owner, counts: counts, errors: errors, now: Date())
            }
        }
        defer { heartbeat.cancel() }
        let outcome: (status: CrawlJobStatus, error: String?)
        do {
            let stopped = try await crawl(origin, jobID: jobID, progress: progress)
            if stopped { return try await store.crawlJob(id: jobID)! }
            let (counts, errors) = progress.snapshot
            if counts.pagesAttempted > 0, counts.pagesSucceeded + counts.pagesNotModified == 0 {
                outcome = (.failed, errors.first.map { "\($0.code): \($0.message)" } ?? "no page could be fetched")
            } else {
                outcome = (.completed, nil)
            }
        } catch let error as CrawlError {
            progress.fail(CrawlPageError(code: error.code.rawValue, url: origin.url, message: error.message))
            outcome = (.failed, error.description)
        }
        let (counts, errors) = progress.snapshot
        _ = try await store.finishCrawlJob(
            id: jobID, owner: owner, status: outcome.status, counts: counts, errors: errors, error: outcome.error,
            now: Date())
        return try await store.crawlJob(id: jobID)!
    }

    /// The crawl itself; true when it stopped because the store no longer lets this owner write the job.
    private func crawl(_ origin: Origin, jobID: String, progress: Progress) async throws(CrawlError) -> Bool {
        guard let root = URL(string: origin.url), let rootKey = CanonicalURL.canonical(origin.url),
            let host = root.host?.lowercased()
        else { throw CrawlError(.parseError, "the origin's URL does not parse") }
        let port = root.port
        let started = ContinuousClock.now
        let maxDepth = origin.maxDepth ?? settings.maxDepth
        let maxPages = origin.maxPages ?? settings.maxPagesPerRun
        let allowed = Self.regexes(
            origin.allowedPathPatterns.isEmpty ? settings.allowedPaths : origin.allowedPathPatterns)
        let excluded = Self.regexes(
            origin.excludedPathPatterns.isEmpty ? settings.excludedPaths : origin.excludedPathPatterns)
        var politeness = settings.delayBetweenRequests
        var lastRequest: ContinuousClock.Instant?

        func polite() async {
            if let lastRequest {
                let wait = politeness - lastRequest.duration(to: .now)
                if wait > .zero { try? await Task.sleep(for: wait) }
            }
            lastRequest = .now
        }
        func sameSite(_ url: URL) -> Bool { url.host?.lowercased() == host && url.port == port }

        // robots.txt, once per job (a crawl stays on one host).
        var robots = RobotsTxt.allowAll
        if settings.respectRobotsTxt {
            var components = URLComponents(url: root, resolvingAgainstBaseURL: false)!
            components.path = "/robots.txt"
            components.query = nil
            components.fragment = nil
            await polite()
            do {
                let answer = try await fetcher.fetch(components.url!)
                robots = RobotsTxt(status: answer.status, body: answer.body, userAgent: settings.userAgent)
            } catch  where error.code == .blockedAddress {
                throw error
            } catch {
                // RFC 9309: robots.txt that cannot be reached means the site may not be crawled.
                robots = .disallowAll
            }
            if let delay = robots.crawlDelay { politeness = max(politeness, .milliseconds(Int64(delay * 1000))) }
        }

        var queue: [(url: String, depth: Int)] = [(rootKey, 0)]
        var seen: Set<String> = [rootKey]
        // Sitemaps: the origin's, else those robots.txt names; an index is followed one level down.
        var sitemaps = origin.sitemapURL.map { [$0] } ?? robots.sitemaps
        var sitemapsRead = 0
        while !sitemaps.isEmpty, sitemapsRead < 10 {
            let next = sitemaps.removeFirst()
            sitemapsRead += 1
            guard let url = URL(string: next), sameSite(url) else { continue }
            await polite()
            guard let answer = try? await fetcher.fetch(url), (200..<300).contains(answer.status),
                let sitemap = try? Sitemap(data: answer.body)
            else {
                progress.fail(CrawlPageError(code: "PARSE_ERROR", url: next, message: "the sitemap could not be read"))
                continue
            }
            switch sitemap.kind {
            case .index: sitemaps += sitemap.locations
            case .pages:
                for location in sitemap.locations {
                    guard let key = CanonicalURL.canonical(location), let url = URL(string: key), sameSite(url),
                        maxDepth >= 1, seen.insert(key).inserted
                    else { continue }
                    queue.append((key, 1))
                }
            }
        }

        var bytes = 0
        var pages = 0
        let filter =
            settings.topicFiltering
            ? TopicFilter(threshold: settings.policyKeywordThreshold, topicTags: origin.topicTags) : nil
        while !queue.isEmpty {
            let (key, depth) = queue.remove(at: settings.priorityQueue ? Self.best(in: queue) : 0)
            guard pages < maxPages, bytes < settings.maxJobBytes, started.duration(to: .now) < settings.maxJobDuration
            else { break }
            guard let url = URL(string: key) else { continue }
            let path = url.path(percentEncoded: true).isEmpty ? "/" : url.path(percentEncoded: true)
            if key != rootKey {
                if !allowed.isEmpty, !allowed.contains(where: { path.contains($0) }) { continue }
                if excluded.contains(where: { path.contains($0) }) { continue }
            }
            guard robots.allows(url) else {
                progress.update { counts in counts.pagesRobotsDisallowed += 1 }
                progress.fail(CrawlPageError(code: "ROBOTS_DISALLOWED", url: key, message: "robots.txt disallows it"))
                continue
            }
            pages += 1
            progress.update { $0.pagesAttempted += 1 }
            let known = try? await store.crawlPage(url: key)
            var record = known ?? CrawlPage(url: key, originID: origin.id)
            record.originID = origin.id
            let conditional = record.documentID != nil
            var answer: FetchResponse?
            var failure: CrawlError?
            for attempt in 0...settings.retryAttempts {
                await polite()
                do {
                    // A redirect must lead to a page this crawl could have asked for itself.
                    let hostRobots = robots
                    answer = try await fetcher.fetch(
                        url, etag: conditional ? record.etag : nil,
                        lastModified: conditional ? record.lastModified : nil
                    ) { hop throws(CrawlError) in
                        guard hop.host?.lowercased() == host, hop.port == port else {
                            throw CrawlError(.httpError, "redirected to another site (\(hop.host ?? "no host"))")
                        }
                        guard hostRobots.allows(hop) else {
                            throw CrawlError(.robotsDisallowed, "redirected to \(hop.path), which robots.txt disallows")
                        }
                    }
                    failure = nil
                    break
                } catch {
                    failure = error
                    guard error.code == .timeout || error.code == .networkError, attempt < settings.retryAttempts
                    else { break }
                }
            }
            record.fetchedAt = Date()
            if let failure {
                progress.update { counts in
                    if failure.code == .robotsDisallowed {
                        counts.pagesRobotsDisallowed += 1
                    } else {
                        counts.pagesFailed += 1
                    }
                }
                progress.fail(CrawlPageError(code: failure.code.rawValue, url: key, message: failure.message))
            } else if let answer {
                record.lastStatus = answer.status
                bytes += answer.body.count
                await handle(
                    answer, key: key, depth: depth, maxDepth: maxDepth, origin: origin, filter: filter,
                    record: &record, progress: progress
                ) {
                    link in
                    guard let linkURL = URL(string: link), sameSite(linkURL), seen.insert(link).inserted else { return }
                    queue.append((link, depth + 1))
                }
            }
            try? await store.saveCrawlPage(record)
            let (counts, errors) = progress.snapshot
            let alive =
                (try? await store.recordCrawlProgress(
                    id: jobID, owner: owner, counts: counts, errors: errors, now: Date())) ?? true
            if !alive { return true }
        }
        return false
    }

    /// What one answer does: a 304 keeps the document, a 404/410 counts towards removing it, a page or PDF is
    /// ingested (and a page's links handed to `enqueue` while the depth allows).
    private func handle(
        _ answer: FetchResponse, key: String, depth: Int, maxDepth: Int, origin: Origin, filter: TopicFilter?,
        record: inout CrawlPage, progress: Progress, enqueue: (String) -> Void
    ) async {
        if answer.notModified {
            record.missingRuns = 0
            // No body, so the links the page had when last fetched whole stand in for its links now.
            if depth < maxDepth { record.links.forEach(enqueue) }
            progress.update { counts in
                counts.pagesNotModified += 1
                counts.documentsUnchanged += 1
            }
            return
        }
        guard (200..<300).contains(answer.status) else {
            progress.update { $0.pagesFailed += 1 }
            progress.fail(CrawlPageError(code: "HTTP_ERROR", url: key, message: "HTTP \(answer.status)"))
            if answer.status == 404 || answer.status == 410 {
                record.missingRuns += 1
                if record.missingRuns >= 2, let documentID = record.documentID {
                    if (try? await knowledgeBase.deleteDocument(id: documentID)) != nil {
                        progress.update { $0.documentsRemoved += 1 }
                    }
                    record.documentID = nil
                    record.etag = nil
                    record.lastModified = nil
                }
            }
            return
        }
        record.missingRuns = 0
        let kind = answer.documentKind
        guard let kind else {
            progress.update { $0.pagesFailed += 1 }
            progress.fail(
                CrawlPageError(
                    code: "UNSUPPORTED_TYPE", url: key,
                    message: "\(answer.contentType ?? "no type") is not a page or PDF"))
            return
        }
        if kind == "html" {
            record.links = Array(
                HTMLLinks.extract(from: String(decoding: answer.body, as: UTF8.self), pageURL: answer.url)
                    .prefix(CrawlPage.maxLinks))
            if depth < maxDepth { record.links.forEach(enqueue) }
        } else {
            record.links = []
        }
        let documentID = Self.documentID(forCanonicalURL: key)
        do {
            var admit: (@Sendable (Document) -> Bool)?
            if let filter {
                admit = { document in filter.admits(title: document.title, text: document.text) }
            }
            guard
                let outcome = try await knowledgeBase.ingest(
                    data: answer.body, fileName: "\(documentID).\(kind)",
                    options: DocumentLoader.Options(
                        id: documentID, source: answer.url.host ?? "web", url: answer.url.absoluteString,
                        metadata: [Self.originMetadataKey: String(origin.id)]),
                    admit: admit)
            else {
                // Set aside by the topic filter: a document it once admitted stays until the page is gone.
                progress.update { $0.pagesIrrelevant += 1 }
                record.etag = nil
                record.lastModified = nil
                return
            }
            progress.update { counts in
                counts.pagesSucceeded += 1
                counts.chunksEmbedded += outcome.chunksEmbedded
                switch outcome.status {
                case .added: counts.documentsAdded += 1
                case .updated: counts.documentsUpdated += 1
                case .unchanged: counts.documentsUnchanged += 1
                }
            }
            record.documentID = documentID
            record.etag = answer.etag
            record.lastModified = answer.lastModified
            record.contentHash = Hashing.sha256Hex(answer.body)
        } catch {
            progress.update { $0.pagesFailed += 1 }
            progress.fail(CrawlPageError(code: "PARSE_ERROR", url: key, message: KnowledgeBase.describe(error)))
        }
    }

    /// The metadata key of the origin a crawled document came from.
    public static let originMetadataKey = "origin_id"

    /// The index of the queued URL to crawl next under the priority queue: the best score, the earliest of equals.
    static func best(in queue: [(url: String, depth: Int)]) -> Int {
        var best = 0
        var bestScore = Int.min
        for (index, item) in queue.enumerated() {
            guard let url = URL(string: item.url) else { continue }
            let score = URLPriority.score(url, depth: item.depth)
            if score > bestScore {
                best = index
                bestScore = score
            }
        }
        return best
    }

    static func regexes(_ patterns: [String]) -> [Regex<AnyRegexOutput>] {
        patterns.compactMap { try? Regex($0) }
    }

    /// The job's counts and failed pages, shared with the heartbeat.
    final class Progress: Sendable {
        private let state = Mutex((CrawlCounts(), [CrawlPageError]()))

        var snapshot: (CrawlCounts, [CrawlPageError]) { state.withLock { $0 } }

        func update(_ change: (inout CrawlCounts) -> Void) { state.withLock { change(&$0.0) } }

        func fail(_ error: CrawlPageError) {
            state.withLock { if $0.1.count < CrawlJob.maxErrors { $0.1.append(error) } }
        }
    }
}
