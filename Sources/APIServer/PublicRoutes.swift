import EmbedCache
import Foundation
import HTTPTypes
import Hummingbird

/// The unauthenticated routes that are not search: liveness, readiness, metrics, the API description and
/// the two pages.
struct PublicRoutes: Sendable {
    let state: ServerState

    func health() -> Response {
        JSONResponse.make(["status": "healthy"])
    }

    /// 200 when the database answers (the index is open whenever the application exists), else 503. Reports how
    /// far this replica's index lags the store's change feed, so a load balancer or an operator can see a replica
    /// that stopped following.
    func ready(_ context: APIRequestContext) async throws -> Response {
        do {
            let counts = try await state.store.counts()
            let position = state.knowledgeBase.feedPosition
            let feed = try await state.store.changeFeedStatus(after: position.applied)
            let now = Date()
            return JSONResponse.make(
                Ready(
                    documents: counts.documents, chunks: counts.chunks, indexVectors: state.knowledgeBase.index.count,
                    feed: FeedLag(
                        appliedSequence: position.applied, storeSequence: feed.head, lagChanges: feed.pending,
                        lagSeconds: feed.oldestPendingAt.map { max(0, now.timeIntervalSince($0)) } ?? 0,
                        lastPollSecondsAgo: position.lastPollAt.map { max(0, now.timeIntervalSince($0)) },
                        lastError: position.lastError)))
        } catch {
            context.logger.warning("not ready: the database does not answer")
            throw APIError.unavailable("the database is not available")
        }
    }

    /// The counts come from the store at scrape time (two cheap queries); a store that does not answer shows as
    /// `aigov_store_up 0` rather than a failed scrape, so the alert says what is wrong.
    func metrics() async -> Response {
        let base = state.knowledgeBase
        let statistics = (base.embedder as? CachedEmbedder)?.cache.statistics
        var snapshot = ServerMetrics.Snapshot(
            indexVectors: base.index.count, documents: nil, chunks: nil, cacheEntries: statistics?.entries,
            cacheHits: statistics?.hits, cacheMisses: statistics?.misses)
        if let batching = base.queryEmbedder.batching?.statistics {
            snapshot.queryBatches = batching.batches
            snapshot.queryBatchTexts = batching.texts
        }
        do {
            let counts = try await state.store.counts()
            snapshot.documents = counts.documents
            snapshot.chunks = counts.chunks
            snapshot.outboxPending = try await state.store.pendingOutboxCount()
        } catch {
            snapshot.storeUp = 0
        }
        if let probe = await state.probes.qdrant(state.configuration.qdrant) {
            snapshot.qdrantUp = probe.reachable ? 1 : 0
        }
        // 0 until the mirror's first success, so the series exists (and a dashboard can say "never").
        snapshot.mirrorLastSuccess = state.mirror.map { Int($0.status.lastSuccess?.timeIntervalSince1970 ?? 0) }
        let text = state.metrics.render(snapshot)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    func openAPI() -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }
}

/// The body of `GET /ready` (schema `Readiness`).
private struct Ready: Encodable {
    var status = "ready"
    var documents: Int
    var chunks: Int
    var indexVectors: Int
    var feed: FeedLag

    enum CodingKeys: String, CodingKey {
        case status, documents, chunks, feed
        case indexVectors = "index_vectors"
    }
}

/// How far this replica follows the store (schema `FeedLag`).
private struct FeedLag: Encodable {
    var appliedSequence: Int64
    var storeSequence: Int64
    var lagChanges: Int
    var lagSeconds: Double
    var lastPollSecondsAgo: Double?
    var lastError: String?

    enum CodingKeys: String, CodingKey {
        case appliedSequence = "applied_sequence"
        case storeSequence = "store_sequence"
        case lagChanges = "lag_changes"
        case lagSeconds = "lag_seconds"
        case lastPollSecondsAgo = "last_poll_seconds_ago"
        case lastError = "last_error"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(appliedSequence, forKey: .appliedSequence)
        try container.encode(storeSequence, forKey: .storeSequence)
        try container.encode(lagChanges, forKey: .lagChanges)
        try container.encode((lagSeconds * 1000).rounded() / 1000, forKey: .lagSeconds)
        // Explicit nulls: the schema requires the keys.
        try container.encode(lastPollSecondsAgo.map { ($0 * 1000).rounded() / 1000 }, forKey: .lastPollSecondsAgo)
        try container.encode(lastError, forKey: .lastError)
    }
}
