import AigovTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import APIServer

/// The live web fallback of `POST /api/search/query` (issue 17) against the crawl test site, which also plays the
/// search provider on loopback: a Google Custom Search-compatible endpoint and an OpenAI-compatible chat model,
/// both naming its `/live/` pages (and, for the search endpoint, the cloud metadata address, which the guard
/// refuses).
@Suite struct LiveWebRouteTests {
    static let question = "What must operators of quantum widget sandboxes file?"

    func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    func hits(_ port: Int) async throws -> [String: Int] {
        let data = try await offThePool { try Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/__hits")!) }
        return try JSONSerialization.jsonObject(with: data) as? [String: Int] ?? [:]
    }

    func query(_ client: some TestClientProtocol, fallback: Bool?) async throws -> [String: Any] {
        let flag = fallback.map { #", "use_web_fallback": \#($0)"# } ?? ""
        let response = try await client.send(
            .post, "/api/search/query", body: #"{"question": "\#(Self.question)"\#(flag)}"#)
        #expect(response.status == .ok)
        return try object(response)
    }

    func liveCitations(_ reply: [String: Any]) -> [[String: Any]] {
        (reply["citations"] as? [[String: Any]] ?? []).filter { $0["live_web"] as? Bool == true }
    }

    @Test func weakRetrievalAddsLivePassagesOnlyWhenAskedAndEnabled() async throws {
        let site = try await offThePool {
            try PythonPeer.start(script: "crawl_test_site.py", failure: "the crawl test site did not start")
        }
        defer { site.stop() }
        let library = try await TestLibrary.make()
        let admin = try await library.token(for: library.admin)
        let base: [String: String] = [
            "CRAWL_ALLOW_HOSTS": "127.0.0.1:\(site.port)", "REALTIME_WEB_PROVIDER": "custom_search",
            "REALTIME_WEB_URL": "http://127.0.0.1:\(site.port)/customsearch/v1", "REALTIME_WEB_API_KEY": "test-key",
            "REALTIME_WEB_CX": "engine-1",
        ]
        try await library.application(try TestLibrary.configuration(base)).test(.router) { client in
            // Off (the default): asked for, the fallback reports itself disabled and reaches no provider.
            let off = try await query(client, fallback: true)
            #expect((off["web_fallback"] as? [String: Any])?["status"] as? String == "disabled")
            #expect(liveCitations(off).isEmpty)
            // Turned on for every replica through the settings; the executive order does not answer the question.
            let put = try await client.send(
                .put, "/api/admin/dashboard/settings", body: #"{"enable_realtime_web": true}"#, token: admin)
            #expect(put.status == .ok)
            let plain = try await query(client, fallback: nil)
            #expect(plain["web_fallback"] == nil && liveCitations(plain).isEmpty)
            #expect(try await hits(site.port).keys.contains { $0.hasPrefix("/customsearch") } == false)

            let used = try await query(client, fallback: true)
            let summary = try #require(used["web_fallback"] as? [String: Any])
            #expect(summary["status"] as? String == "used" && summary["pages_read"] as? Int == 2, "\(summary)")
            let live = liveCitations(used)
            // Each page is one chunk, so one passage each, the sandbox rule first (closest to the question).
            #expect(live.count == 2, "\(live)")
            #expect(live.first?["document_url"] as? String == "http://127.0.0.1:\(site.port)/live/sandbox.html")
            #expect((live.first?["content"] as? String)?.contains("zephyr register") == true)
            // The answer may quote them; nothing of the web was stored.
            #expect(try await library.store.counts().documents == 1)
            #expect(try await hits(site.port)["/latest/meta-data/"] == nil)

            // Strong local retrieval: nothing is fetched.
            _ = try await client.send(
                .put, "/api/admin/dashboard/settings",
                body: #"{"min_similarity_threshold": 0, "min_results": 1}"#, token: admin)
            let sufficient = try await query(client, fallback: true)
            #expect((sufficient["web_fallback"] as? [String: Any])?["status"] as? String == "local_sufficient")
        }

        // A provider that refuses the key: the answer still comes, from the local sources.
        var refused = base
        refused["REALTIME_WEB_API_KEY"] = "wrong"
        refused["ENABLE_REALTIME_WEB"] = "true"
        refused["MIN_SIMILARITY_THRESHOLD"] = "0.99"
        try await library.application(try TestLibrary.configuration(refused)).test(.router) { client in
            // The stored settings of the first application still apply: clear them.
            _ = try await client.send(
                .put, "/api/admin/dashboard/settings",
                body: #"{"min_similarity_threshold": null, "min_results": null, "enable_realtime_web": null}"#,
                token: admin)
            let reply = try await query(client, fallback: true)
            #expect((reply["web_fallback"] as? [String: Any])?["status"] as? String == "PROVIDER_UNAVAILABLE")
            #expect(liveCitations(reply).isEmpty && !(reply["answer"] as? String ?? "").isEmpty)
        }
    }

    /// A query asking for the fallback, on a fresh library whose application has the fallback on, local retrieval
    /// judged weak (threshold 0.99) and `provider` (variables given the site's port) as its search provider.
    func fallbackReply(provider: (Int) -> [String: String]) async throws -> (reply: [String: Any], hits: [String: Int])
    {
        let site = try await offThePool {
            try PythonPeer.start(script: "crawl_test_site.py", failure: "the crawl test site did not start")
        }
        defer { site.stop() }
        let library = try await TestLibrary.make()
        let variables = [
            "CRAWL_ALLOW_HOSTS": "127.0.0.1:\(site.port)", "ENABLE_REALTIME_WEB": "true",
            "MIN_SIMILARITY_THRESHOLD": "0.99", "REALTIME_WEB_API_KEY": "test-key",
        ].merging(provider(site.port)) { $1 }
        let reply = try await library.application(try TestLibrary.configuration(variables)).test(.router) { client in
            try await query(client, fallback: true)
        }
        return (reply, try await hits(site.port))
    }

    @Test func aChatModelCanNameThePages() async throws {
        let (reply, hits) = try await fallbackReply { port in
            [
                "REALTIME_WEB_PROVIDER": "chat", "REALTIME_WEB_URL": "http://127.0.0.1:\(port)/v1",
                "REALTIME_WEB_MODEL": "fenced", "REALTIME_WEB_MAX_PAGES": "1",
            ]
        }
        let summary = try #require(reply["web_fallback"] as? [String: Any])
        #expect(summary["status"] as? String == "used" && summary["pages_read"] as? Int == 1, "\(summary)")
        #expect(liveCitations(reply).allSatisfy { ($0["document_url"] as? String)?.hasSuffix("/sandbox.html") == true })
        #expect(hits["POST /v1/chat/completions"] == 1)
    }

    @Test func aSlowPageIsLeftOutWhenTheTimeRunsOut() async throws {
        let (reply, _) = try await fallbackReply { port in
            [
                "REALTIME_WEB_PROVIDER": "custom_search",
                "REALTIME_WEB_URL": "http://127.0.0.1:\(port)/customsearch/v1",
                "REALTIME_WEB_CX": "slow", "REALTIME_WEB_MAX_SECONDS": "6",
            ]
        }
        let summary = try #require(reply["web_fallback"] as? [String: Any])
        // The slow page answers after 20 s; the budget is 6 s (room for a loaded machine to read the other page),
        // so only the sandbox page is read (without the budget both would be).
        #expect(summary["status"] as? String == "used" && summary["pages_read"] as? Int == 1, "\(summary)")
        #expect(liveCitations(reply).count == 1)
    }
}
