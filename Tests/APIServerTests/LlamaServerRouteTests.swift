import AigovTestSupport
import Answering
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import APIServer

/// `POST /api/search/query` over real loopback HTTP, answered by a real llama.cpp `llama-server` (SmolLM2-135M).
/// Shapes and behaviour only: the tiny model's wording is not asserted.
@Suite(.serialized, .enabled(if: LlamaServer.isEnabled, "llama-server not installed: scripts/llm-server-setup"))
struct LlamaServerRouteTests {
    static let body = #"{"question": "What does the order say about AI leadership?", "top_k": 3"#

    static func chat(_ server: LlamaServer) -> ChatConfiguration {
        ChatConfiguration(
            baseURL: server.baseURL, model: "smollm2", maxCompletionTokens: 64, temperature: 0,
            timeout: .seconds(120), firstByteTimeout: .seconds(60))
    }

    @Test func jsonAnswerIsGeneratedWithCitations() async throws {
        let library = try await TestLibrary.shared()
        try await withLlamaServer { server in
            try await library.application(chat: Self.chat(server)).test(.live) { client in
                let port = try #require(client.port)
                let (status, json) = try await LLMTests.postQuery(port: port, body: Self.body + "}")
                #expect(status == 200)
                #expect(json["mode"] as? String == "generated")
                #expect((json["answer"] as? String)?.isEmpty == false)
                let citations = json["citations"] as? [[String: Any]] ?? []
                #expect(citations.count == 3)
                let cited = json["cited_sources"] as? [Int] ?? [-1]
                #expect(cited.allSatisfy { (1...citations.count).contains($0) })
                #expect(json["grounded"] is Bool)
                // Each sentence the small model left without a valid [n] is listed, and any makes it ungrounded.
                let unsupported = try #require(json["unsupported_sentences"] as? [String])
                #expect(unsupported.isEmpty || json["grounded"] as? Bool == false)
                #expect(json["fallback_reason"] == nil || json["fallback_reason"] is NSNull)
            }
        }
    }

    @Test func streamIsCitationsThenDeltasThenDone() async throws {
        let library = try await TestLibrary.shared()
        try await withLlamaServer { server in
            try await library.application(chat: Self.chat(server)).test(.live) { client in
                let port = try #require(client.port)
                let events = try await LLMTests.streamEvents(port: port, body: Self.body + #", "stream": true}"#)
                let names = events.map(\.event)
                #expect(names.first == "citations")
                #expect(names.last == "done")
                #expect(names.dropFirst().dropLast().allSatisfy { $0 == "delta" })
                #expect(names.contains("delta"))
                let done = LLMTests.object(events.last?.data)
                #expect(done["mode"] as? String == "generated")
                let joined = events.filter { $0.event == "delta" }
                    .map { LLMTests.object($0.data)["text"] as? String ?? "" }.joined()
                #expect(joined == done["answer"] as? String)
                #expect(done["unsupported_sentences"] is [String])
                let timings = done["timings"] as? [String: Any] ?? [:]
                #expect(timings["total_ms"] is Double)
            }
        }
    }

    @Test func adminHealthFindsTheModelServerReachable() async throws {
        let library = try await TestLibrary.shared()
        let token = try await library.token(for: library.admin)
        try await withLlamaServer { server in
            try await library.application(chat: Self.chat(server)).test(.router) { client in
                let response = try await client.send(.get, "/api/admin/health", token: token)
                #expect(response.status == .ok)
                let llm = response.json["llm"] as? [String: Any] ?? [:]
                #expect(llm["reachable"] as? Bool == true && llm["probe_error"] is NSNull)
                #expect(response.json["status"] as? String == "ok")
            }
        }
    }

    /// The model goes away between two questions: the second still gets an answer, extractive, not a 500.
    @Test func serverGoneGivesAnExtractiveAnswer() async throws {
        let library = try await TestLibrary.shared()
        var chat: ChatConfiguration?
        try await withLlamaServer { server in chat = Self.chat(server) }
        var gone = try #require(chat)
        gone.retry = RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(10))
        try await library.application(chat: gone).test(.router) { client in
            let response = try await client.send(.post, "/api/search/query", body: Self.body + "}")
            #expect(response.status == .ok)
            #expect(response.json["mode"] as? String == "extractive")
            #expect(response.json["fallback_reason"] as? String == "llm_unavailable")
        }
    }
}
