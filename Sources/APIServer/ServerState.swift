import Answering
import Foundation
import Ingest
import Logging
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
    /// 5 failed logins per account in 15 minutes, then 429 until the oldest leaves the window.
    let accountFailures = FailureWindow(limit: 5, window: 15 * 60)
    /// 20 failed logins per client address in 15 minutes (password spraying across accounts).
    let addressFailures = FailureWindow(limit: 20, window: 15 * 60)
    let logger: Logger
    /// The Qdrant mirror whose loop `serve` runs, for health; nil when `QDRANT_URL` is unset.
    let mirror: QdrantMirror?
    /// Dense search from Qdrant when `RETRIEVAL_BACKEND=qdrant`; nil searches the local index only.
    let qdrantRetriever: QdrantRetriever?

    init(
        configuration: ServerConfiguration, knowledgeBase: KnowledgeBase, store: any MetadataStore,
        answerer: Answerer, tokens: TokenService, logger: Logger, mirror: QdrantMirror? = nil,
        qdrantRetriever: QdrantRetriever? = nil
    ) {
        self.mirror = mirror
        self.qdrantRetriever = qdrantRetriever
        self.configuration = configuration
        self.knowledgeBase = knowledgeBase
        self.store = store
        self.answerer = answerer
        self.tokens = tokens
        self.logger = logger
        searchLimiter = RateLimiter(capacity: configuration.rateLimitPerMinute)
        searchGate = AdmissionGate(limit: configuration.searchConcurrency)
    }
}
