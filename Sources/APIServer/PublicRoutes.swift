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

    /// 200 when the database answers (the index is open whenever the application exists), else 503.
    func ready(_ context: APIRequestContext) async throws -> Response {
        do {
            let counts = try await state.store.counts()
            struct Ready: Encodable {
                var status = "ready"
                var documents: Int
                var chunks: Int
                var indexVectors: Int

                enum CodingKeys: String, CodingKey {
                    case status, documents, chunks
                    case indexVectors = "index_vectors"
                }
            }
            return JSONResponse.make(
                Ready(documents: counts.documents, chunks: counts.chunks, indexVectors: state.knowledgeBase.index.count)
            )
        } catch {
            context.logger.warning("not ready: the database does not answer")
            throw APIError.unavailable("the database is not available")
        }
    }

    func metrics() -> Response {
        let base = state.knowledgeBase
        let statistics = (base.embedder as? CachedEmbedder)?.cache.statistics
        // Store counts would need an await on the database; the index count is the same number of chunks.
        let text = state.metrics.render(
            ServerMetrics.Snapshot(
                indexVectors: base.index.count, documents: nil, chunks: nil, cacheEntries: statistics?.entries,
                cacheHits: statistics?.hits, cacheMisses: statistics?.misses))
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    func openAPI() -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }

    func docsPage() -> Response { html(WebPages.docs) }

    func askPage() -> Response { html(WebPages.ask) }

    private func html(_ text: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                // Inline script and style only; no other origin may supply anything.
                .contentSecurityPolicy:
                    "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                    + "connect-src 'self'; frame-ancestors 'none'",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
