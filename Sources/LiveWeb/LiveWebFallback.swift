import Crawling
import Documents
import Foundation
import Knowledge

/// The live web fallback (issue 17; README, "Live web fallback"; off by default, as in the old platform): when a
/// query asks for it, the setting is on and local retrieval is weak, a search provider names a few pages, they are
/// fetched through the same SSRF-guarded fetcher as crawls, and their passages most similar to the question are
/// added to the answer's sources, cited with their URLs and marked ``Citation/liveWeb``. Nothing is stored.
///
/// The provider and the fetches run within `REALTIME_WEB_MAX_SECONDS`; what is not back by then is left out. A query that does not
/// ask for the fallback never reaches this type, so it costs a plain query nothing.
public struct LiveWebFallback: Sendable {
    public let knowledgeBase: KnowledgeBase
    public let fetcher: GuardedFetcher
    /// Nil when no provider is configured: the fallback then never runs.
    public let provider: (any WebSearchProvider)?

    /// Passages taken from each fetched page at most.
    public static let passagesPerPage = 2

    public init(knowledgeBase: KnowledgeBase, fetcher: GuardedFetcher, provider: (any WebSearchProvider)?) {
        self.knowledgeBase = knowledgeBase
        self.fetcher = fetcher
        self.provider = provider
    }

    /// What the fallback did for one query.
    public struct Outcome: Sendable, Equatable {
        /// `used`, `disabled`, `no_provider`, `local_sufficient`, `no_pages`, or a ``LiveWebError`` code.
        public var status: String
        /// The live web passages, best first.
        public var citations: [Citation] = []
        /// The best cosine similarity of a local passage to the question (nil when there was none or it was not
        /// measured).
        public var bestLocalSimilarity: Double?
        /// Pages fetched and read.
        public var pagesRead = 0

        public init(
            status: String, citations: [Citation] = [], bestLocalSimilarity: Double? = nil, pagesRead: Int = 0
        ) {
            self.status = status
            self.citations = citations
            self.bestLocalSimilarity = bestLocalSimilarity
            self.pagesRead = pagesRead
        }
    }

    /// Runs the fallback for `question` over the local `citations` with `settings`.
    public func run(question: String, local citations: [Citation], settings: LiveWebSettings) async -> Outcome {
        guard settings.enabled else { return Outcome(status: "disabled") }
        guard let provider else { return Outcome(status: "no_provider") }
        var best: Double?
        if !citations.isEmpty {
            best = (try? await knowledgeBase.similarities(of: question, to: citations.map(\.content)))?.max()
        }
        let weak = citations.count < settings.minResults || (best ?? 0) < settings.minSimilarity
        guard weak else { return Outcome(status: "local_sufficient", bestLocalSimilarity: best) }
        // The budget is the web's: it starts once the local passages are judged.
        let deadline = ContinuousClock.now + settings.maxDuration
        let urls: [URL]
        do {
            urls = try await provider.urls(
                for: question, limit: settings.maxPages, timeout: ContinuousClock.now.duration(to: deadline))
        } catch {
            return Outcome(status: error.code.rawValue, bestLocalSimilarity: best)
        }
        let pages = await read(Array(urls.prefix(settings.maxPages)), question: question, deadline: deadline)
        let passages = pages.flatMap { $0 }.sorted { $0.score > $1.score }
        return Outcome(
            status: passages.isEmpty ? "no_pages" : "used", citations: passages, bestLocalSimilarity: best,
            pagesRead: pages.filter { !$0.isEmpty }.count)
    }

    /// Each URL fetched, loaded and scored concurrently; a page not done by `deadline` is dropped.
    private func read(_ urls: [URL], question: String, deadline: ContinuousClock.Instant) async -> [[Citation]] {
        await withTaskGroup(of: [Citation]?.self) { group in
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            for url in urls {
                group.addTask { await page(url, question: question, deadline: deadline) }
            }
            var pages: [[Citation]] = []
            var remaining = urls.count
            while remaining > 0, let next = await group.next() {
                guard let next else { break }  // the deadline
                pages.append(next)
                remaining -= 1
            }
            group.cancelAll()
            return pages
        }
    }

    private func page(_ url: URL, question: String, deadline: ContinuousClock.Instant) async -> [Citation] {
        var fetcher = self.fetcher
        fetcher.limits.timeout = min(fetcher.limits.timeout, ContinuousClock.now.duration(to: deadline))
        guard fetcher.limits.timeout > .zero, let answer = try? await fetcher.fetch(url),
            (200..<300).contains(answer.status), let kind = answer.documentKind
        else { return [] }
        let key = CanonicalURL.canonical(answer.url.absoluteString) ?? answer.url.absoluteString
        let id = "live-" + Hashing.sha256Hex(key).prefix(24)
        guard
            let document = try? await knowledgeBase.loadTransient(
                data: answer.body, fileName: "\(id).\(kind)",
                options: DocumentLoader.Options(
                    id: id, source: answer.url.host ?? "web", url: answer.url.absoluteString)),
            !Task.isCancelled
        else { return [] }
        return
            (try? await knowledgeBase.transientPassages(
                of: document, question: question, limit: Self.passagesPerPage)) ?? []
    }
}
