import Answering
import ConcurrencySupport
import Foundation
import Knowledge
import LiveWeb
import Logging
import Origins
import Qdrant
import Settings
import Store

/// What the route handlers share: the knowledge base and store, the answerer, the token service, the limits
/// and the metrics. Built once per application.
final class ServerState: Sendable {
    let configuration: ServerConfiguration
    let knowledgeBase: KnowledgeBase
    let store: any MetadataStore
    let answerer: Answerer
    let tokens: TokenService
    let metrics = ServerMetrics()
    /// At most `SEARCH_CONCURRENCY` searches run at once; the rest wait in arrival order.
    let searchGate: AdmissionGate
    /// Reachability of the LLM and Qdrant for health, probed at most every 15 s.
    let probes = PeerProbes()
    let searchLimiter: RateLimiter
    /// Login requests per client address (`LOGIN_RATE_LIMIT_PER_MINUTE`), whatever their outcome.
    let loginLimiter: RateLimiter
    /// Failed logins per (account, address) with back-off, and a ceiling per account.
    let loginThrottle: LoginThrottle
    /// Where password hashes run (threads apart from search's).
    let hashing: HashingPool
    /// Hashes passwords set through the API.
    let newPasswords: PasswordHasher
    let logger: Logger
    /// The Qdrant mirror whose loop `serve` runs, for health; nil when `QDRANT_URL` is unset.
    let mirror: QdrantMirror?
    /// The search path (the local index, or Qdrant's dense ranking with the local fallback).
    let search: SearchService
    /// Crawls origins asked for through the API (and, in `serve`, on their schedule).
    let scheduler: OriginScheduler
    /// The live web fallback of queries that ask for it.
    let liveWeb: LiveWebFallback

    init(
        configuration: ServerConfiguration, knowledgeBase: KnowledgeBase, store: any MetadataStore,
        answerer: Answerer, tokens: TokenService, logger: Logger, mirror: QdrantMirror? = nil,
        search: SearchService? = nil, scheduler: OriginScheduler? = nil, loginThrottle: LoginThrottle = LoginThrottle(),
        passwords: PasswordWork = PasswordWork()
    ) {
        let environment = configuration.variables
        let startCrawl = (try? CrawlSettings(environment)) ?? CrawlSettings()
        self.scheduler =
            scheduler
            ?? OriginScheduler(
                knowledgeBase: knowledgeBase, settings: startCrawl,
                settingsSource: { try await PlatformSettings.current(environment, store: store).crawl })
        liveWeb = LiveWebFallback(
            knowledgeBase: knowledgeBase, fetcher: startCrawl.fetcher(),
            provider: (try? LiveWebSettings(environment))?.provider.map(makeWebSearchProvider))
        self.loginThrottle = loginThrottle
        hashing = passwords.pool
        newPasswords = passwords.hasher
        self.mirror = mirror
        // The local index when none is given: route tests build the state without configuration parsing.
        self.search = search ?? SearchService(knowledgeBase: knowledgeBase)
        self.configuration = configuration
        self.knowledgeBase = knowledgeBase
        self.store = store
        self.answerer = answerer
        self.tokens = tokens
        self.logger = logger
        searchLimiter = RateLimiter(capacity: configuration.rateLimitPerMinute)
        loginLimiter = RateLimiter(capacity: configuration.loginRateLimitPerMinute)
        searchGate = AdmissionGate(limit: configuration.searchConcurrency)
    }

    /// The settings an admin may change at run time as they are now (``PlatformSettings/current(_:store:)``).
    func runtimeSettings() async throws -> (crawl: CrawlSettings, liveWeb: LiveWebSettings) {
        try await PlatformSettings.current(configuration.variables, store: store)
    }
}
