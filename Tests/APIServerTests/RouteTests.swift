import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import APIServer

@Suite(.serialized) struct RouteTests {
    @Test func healthReadyAndRequestIDs() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            let health = try await client.send(.get, "/health")
            #expect(health.status == .ok && health.json["status"] as? String == "healthy")
            #expect(health.headers[RequestIDMiddleware.header]?.isEmpty == false)
            let ready = try await client.send(.get, "/ready")
            #expect(ready.status == .ok && ready.json["status"] as? String == "ready")
            #expect((ready.json["documents"] as? Int ?? 0) >= 1)
            let mine = try await client.send(.get, "/health", headers: [RequestIDMiddleware.header: "abc-123"])
            #expect(mine.headers[RequestIDMiddleware.header] == "abc-123")
            let hostile = try await client.send(
                .get, "/health", headers: [RequestIDMiddleware.header: "bad id\twith spaces"])
            #expect(hostile.headers[RequestIDMiddleware.header] != "bad id\twith spaces")
        }
    }

    @Test func unknownPathsAndMethodsAreJSONErrors() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            let missing = try await client.send(.get, "/nope")
            #expect(missing.status == .notFound && missing.detail == "Not Found")
            let wrongMethod = try await client.send(.get, "/api/search/query")
            #expect(wrongMethod.status == .methodNotAllowed && wrongMethod.headers[.allow] == "POST")
        }
    }

    @Test func retrieveReturnsCitations() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            let response = try await client.send(
                .post, "/api/search/retrieve",
                body: #"{"query": "revoke Executive Order 14110 artificial intelligence", "top_k": 3}"#)
            #expect(response.status == .ok)
            let results = response.json["results"] as? [[String: Any]] ?? []
            #expect(!results.isEmpty && results.count <= 3)
            let first = results.first ?? [:]
            for key in [
                "content", "document_title", "document_source", "document_url", "chunk_index", "chunk_id",
                "document_id", "section", "page_start", "page_end", "score",
            ] {
                #expect(first.keys.contains(key), "missing \(key)")
            }
            #expect(first["document_id"] as? String == TestLibrary.eoDocumentID)
        }
    }

    @Test func filtersRestrictResults() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            let none = try await client.send(
                .post, "/api/search/retrieve",
                body: #"{"query": "artificial intelligence", "filters": {"document_ids": ["no-such-doc"]}}"#)
            #expect(none.status == .ok && (none.json["results"] as? [Any])?.isEmpty == true)
            let some = try await client.send(
                .post, "/api/search/retrieve",
                body:
                    #"{"query": "artificial intelligence", "mode": "lexical", "filters": {"sources": ["Federal Register"]}}"#
            )
            #expect((some.json["results"] as? [Any])?.isEmpty == false)
        }
    }

    @Test func queryWithoutModelIsExtractive() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            let response = try await client.send(
                .post, "/api/search/query",
                body: #"{"question": "Which executive order does this order revoke?", "top_k": 3}"#)
            #expect(response.status == .ok)
            let json = response.json
            #expect(json["mode"] as? String == "extractive")
            #expect((json["answer"] as? String)?.isEmpty == false)
            #expect((json["citations"] as? [Any])?.count ?? 0 > 0)
            let timings = json["timings"] as? [String: Any] ?? [:]
            #expect(timings["retrieval_ms"] is Double && timings["generation_ms"] is Double)
            #expect(timings["total_ms"] is Double)
            #expect(json["grounded"] is Bool && json["fallback_reason"] as? String == "llm_not_configured")
        }
    }

    @Test func openAPIAndItsPageAreServed() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            let response = try await client.send(.get, "/openapi.json")
            #expect(response.status == .ok)
            // The paths are written from APIContract; ContractValidationTests checks responses against them.
            #expect(response.json["openapi"] as? String == "3.1.0")
            let docs = try await client.send(.get, "/docs")
            #expect(docs.status == .ok && docs.text.contains("/openapi.json"))
            #expect(docs.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(!docs.text.contains("https://") && docs.text.contains(WebAssets.path("docs.js")))
        }
    }

    @Test func metricsCountRequestsByRouteTemplate() async throws {
        // A library of its own: other suites add documents to the shared one while this one compares counts.
        let library = try await TestLibrary.make()
        let token = try await library.token(for: library.admin)
        try await library.application().test(.router) { client in
            _ = try await client.send(.get, "/api/admin/documents/\(TestLibrary.eoDocumentID)", token: token)
            _ = try await client.send(.post, "/api/search/retrieve", body: #"{"query": "AI action plan"}"#)
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            let text = metrics.text
            #expect(text.contains("http_requests_total"))
            #expect(
                text.contains(#"route="/api/admin/documents/{id}""#)
                    || text.contains(#"route="/api/admin/documents/:id""#))
            #expect(!text.contains(TestLibrary.eoDocumentID))
            #expect(text.contains("aigov_retrieval_duration_seconds"))
            #expect(text.contains("aigov_index_vectors") && text.contains("aigov_embedding_cache_hits"))
            // The store's counts and the outbox backlog, read at scrape time; no Qdrant configured, no Qdrant gauge.
            let documents = try await library.store.counts().documents
            #expect(text.contains("aigov_documents \(documents)") && text.contains("aigov_store_up 1"), "\(text)")
            #expect(text.contains("aigov_outbox_pending 0") && !text.contains("aigov_qdrant_up"))
        }
    }

    @Test func searchIsRateLimitedPerClient() async throws {
        let library = try await TestLibrary.shared()
        let app = try await library.application(try TestLibrary.configuration(["RATE_LIMIT_PER_MINUTE": "2"]))
        try await app.test(.router) { client in
            let body = #"{"query": "AI", "mode": "lexical"}"#
            #expect(try await client.send(.post, "/api/search/retrieve", body: body).status == .ok)
            #expect(try await client.send(.post, "/api/search/retrieve", body: body).status == .ok)
            let limited = try await client.send(.post, "/api/search/retrieve", body: body)
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Other routes are not limited.
            #expect(try await client.send(.get, "/health").status == .ok)
        }
    }

    @Test func corsAllowsConfiguredOriginsOnly() async throws {
        let library = try await TestLibrary.shared()
        let app = try await library.application(try TestLibrary.configuration(["CORS_ORIGINS": "https://ok.example"]))
        try await app.test(.router) { client in
            let allowed = try await client.send(.get, "/health", headers: [.origin: "https://ok.example"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://ok.example")
            let other = try await client.send(.get, "/health", headers: [.origin: "https://evil.example"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            let preflight = try await client.send(
                .options, "/api/search/query",
                headers: [.origin: "https://ok.example", .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
        }
    }
}
