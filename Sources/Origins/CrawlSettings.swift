import Crawling
import Foundation

/// How crawls run (issue 17), from the old platform's settings (`CRAWL_*`); an origin's own `max_depth`,
/// `max_pages` and path patterns take precedence over the defaults here.
public struct CrawlSettings: Sendable, Equatable {
    /// `CRAWL_MAX_DEPTH`: link hops from an origin's URL when the origin sets none.
    public var maxDepth = 2
    /// `CRAWL_MAX_PAGES_PER_RUN`: pages per crawl when the origin sets none.
    public var maxPagesPerRun = 50
    /// `CRAWL_TIMEOUT_SECONDS`: one page's whole exchange.
    public var timeout: Duration = .seconds(30)
    /// `CRAWL_RETRY_ATTEMPTS`: extra attempts for a page that timed out or whose connection failed.
    public var retryAttempts = 2
    /// `CRAWL_DELAY_BETWEEN_REQUESTS`: seconds between two requests to the site, unless robots.txt asks for more.
    public var delayBetweenRequests: Duration = .seconds(1)
    /// `CRAWL_RESPECT_ROBOTS_TXT`.
    public var respectRobotsTxt = true
    /// `CRAWL_USER_AGENT`.
    public var userAgent = GuardedFetcher.defaultUserAgent
    /// `CRAWL_ALLOWED_PATHS`, `CRAWL_EXCLUDED_PATHS`: path regexes for origins that set none.
    public var allowedPaths: [String] = []
    public var excludedPaths: [String] = []
    /// `CRAWL_ALLOW_HOSTS`: hosts the SSRF guard lets through (tests on loopback, an intranet).
    public var allowHosts: [String] = []
    /// `CRAWL_MAX_PAGE_BYTES`: the largest page or PDF read.
    public var maxPageBytes = 20 << 20
    /// `CRAWL_MAX_JOB_BYTES`: bytes one crawl may download in all.
    public var maxJobBytes = 500 << 20
    /// `CRAWL_MAX_JOB_SECONDS`: how long one crawl may run.
    public var maxJobDuration: Duration = .seconds(1800)
    /// `ENABLE_TOPIC_FILTERING`: pages below ``policyKeywordThreshold`` are not ingested (``TopicFilter``).
    public var topicFiltering = false
    /// `POLICY_KEYWORD_THRESHOLD`: the least relevance (0...1) the topic filter admits.
    public var policyKeywordThreshold = 0.3
    /// `ENABLE_PRIORITY_QUEUE`: the crawl takes the best-scored URL next (``URLPriority``), not breadth-first.
    public var priorityQueue = false
    /// `CRAWL_SCHEDULER_INTERVAL_SECONDS`: how often `serve` looks for due origins; nil (0) turns the scheduler off.
    public var schedulerInterval: Duration? = .seconds(30)

    public init() {}

    /// The fetcher these settings describe.
    public func fetcher(resolver: any HostResolver = SystemResolver()) -> GuardedFetcher {
        GuardedFetcher(
            addressGuard: AddressGuard(allowedHosts: allowHosts), userAgent: userAgent,
            limits: FetchLimits(timeout: timeout, maxBytes: maxPageBytes), resolver: resolver)
    }
}
