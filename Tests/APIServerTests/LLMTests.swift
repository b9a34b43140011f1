import AigovTestSupport
import Answering
import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import APIServer

/// Answers through a real OpenAI-compatible server on loopback (the scripted one), JSON and streamed.
@Suite(.serialized) struct LLMTests {
    static let question = #"{"question": "What does the order say about AI leadership?", "top_k": 3"#

    @Test func generatedAnswerFromTheModel() async throws {
        let library = try await TestLibrary.shared()
        try await withScriptedServer { scripted in
            let chat = ChatConfiguration(baseURL: scripted.baseURL, model: scriptedModel("groq_stream"))
            try await library.application(chat: chat).test(.router) { client in
                let response = try await client.send(.post, "/api/search/query", body: Self.question + "}")
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["mode"] as? String == "generated")
                let answer = json["answer"] as? String ?? ""
                #expect(answer.contains("risk management system [1]"))
                // Sources 7 and 9 do not exist among 3 passages: their markers are gone.
                #expect(!answer.contains("[7]") && !answer.contains("[9]"))
                #expect((json["cited_sources"] as? [Int])?.contains(1) == true)
                #expect(json["fallback_reason"] is NSNull || json["fallback_reason"] == nil)
                // The last sentence lost its only marker: it is listed, and the answer is not grounded.
                #expect(json["unsupported_sentences"] as? [String] == ["Non-compliance can lead to fines."])
                #expect(json["grounded"] as? Bool == false)
            }
        }
    }

    @Test func modelOutageGivesAnExtractiveAnswerNot500() async throws {
        let library = try await TestLibrary.shared()
        try await withScriptedServer { scripted in
            let chat = ChatConfiguration(
                baseURL: scripted.baseURL, apiKey: "sk-test-key", model: scriptedModel("server_error_always"),
                retry: RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(10)))
            try await library.application(chat: chat).test(.router) { client in
                let response = try await client.send(.post, "/api/search/query", body: Self.question + "}")
                #expect(response.status == .ok)
                #expect(response.json["mode"] as? String == "extractive")
                #expect(response.json["fallback_reason"] as? String == "llm_unavailable")
                #expect((response.json["answer"] as? String)?.isEmpty == false)
                #expect(!response.text.contains("SUPERSECRET") && !response.text.contains("sk-test-key"))
            }
        }
    }

    @Test func streamSendsCitationsFirstThenDeltasThenDone() async throws {
        let library = try await TestLibrary.shared()
        try await withScriptedServer { scripted in
            let chat = ChatConfiguration(baseURL: scripted.baseURL, model: scriptedModel("groq_stream"))
            try await library.application(chat: chat).test(.live) { client in
                let port = try #require(client.port)
                let events = try await Self.streamEvents(port: port, body: Self.question + #", "stream": true}"#)
                let names = events.map(\.event)
                #expect(names.first == "citations")
                #expect(names.last == "done")
                #expect(names.dropFirst().dropLast().allSatisfy { $0 == "delta" })
                #expect(names.filter { $0 == "delta" }.count >= 2)
                let citations = Self.object(events.first?.data)["citations"] as? [[String: Any]] ?? []
                #expect(citations.count == 3)
                let done = Self.object(events.last?.data)
                #expect(done["mode"] as? String == "generated" && done["cited_sources"] is [Int])
                #expect(done["unsupported_sentences"] as? [String] == ["Non-compliance can lead to fines."])
                let joined = events.filter { $0.event == "delta" }.map { Self.object($0.data)["text"] as? String ?? "" }
                    .joined()
                #expect(joined == done["answer"] as? String)
                #expect((done["timings"] as? [String: Any])?["total_ms"] is Double)
            }
        }
    }

    @Test func acceptHeaderAlsoStreams() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.live) { client in
            let port = try #require(client.port)
            let events = try await Self.streamEvents(
                port: port, body: #"{"question": "revoked executive order"}"#, accept: "text/event-stream")
            #expect(events.map(\.event).first == "citations" && events.last?.event == "done")
            #expect(Self.object(events.last?.data)["mode"] as? String == "extractive")
        }
    }

    @Test func clientDisconnectCancelsGeneration() async throws {
        let library = try await TestLibrary.shared()
        try await withScriptedServer { scripted in
            let model = scriptedModel("slow_stream")
            let chat = ChatConfiguration(baseURL: scripted.baseURL, model: model)
            try await library.application(chat: chat).test(.live) { client in
                let port = try #require(client.port)
                // Read until the first delta, then go away.
                let reader = Task {
                    var request = HTTPClientRequest(url: "http://localhost:\(port)/api/search/query")
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: Self.question + #", "stream": true}"#))
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                    var parser = ServerSentEventParser()
                    for try await buffer in response.body {
                        if try parser.push(buffer.readableBytesView).contains(where: { $0.event == "delta" }) {
                            return true
                        }
                    }
                    return false
                }
                #expect(try await reader.value)
                reader.cancel()
                #expect(await scripted.waitForDisconnect(model: model, timeout: .seconds(30)))
                // Still serving.
                #expect(try await client.send(.get, "/health").status == .ok)
            }
        }
    }

    /// A client whose read timeout (300 s) is past the server's own model timeouts (60 s to the first byte, 120 s
    /// in all), so the server always ends a slow stream itself. `HTTPClient.shared` gives up after 90 s without a
    /// byte, which a model queued behind the rest of a loaded suite can take between two deltas.
    static let patientClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(10), read: .seconds(300))))

    static func streamEvents(port: Int, body: String, accept: String? = nil) async throws -> [ServerSentEvent] {
        var request = HTTPClientRequest(url: "http://localhost:\(port)/api/search/query")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let accept { request.headers.add(name: "Accept", value: accept) }
        request.body = .bytes(ByteBuffer(string: body))
        // Generous: a loaded 2-core CI machine runs llama-server beside the whole suite.
        let response = try await patientClient.execute(request, timeout: .seconds(300))
        #expect(response.status.code == 200)
        #expect(response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true)
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for try await buffer in response.body { events += try parser.push(buffer.readableBytesView) }
        return events
    }

    /// Posts `body` to `/api/search/query` on the live server at `port` and reads the whole JSON reply. Unlike
    /// HummingbirdTesting's live client (20 s without a byte fails), this waits as long as a slow model needs.
    static func postQuery(port: Int, body: String) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: "http://localhost:\(port)/api/search/query")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await patientClient.execute(request, timeout: .seconds(300))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), object(String(buffer: bytes)))
    }

    static func object(_ text: String?) -> [String: Any] {
        guard let text else { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }
}

/// The answerer `serve` builds, with the real encoder behind the relevance scores.
@Suite struct KnowledgeBaseAnswererTests {
    /// A learner asking in everyday words; the first passage shares them, the second (GDPR Article 34(1))
    /// answers in the law's ("personal data breach", "communicate ... to the data subject"). Terms alone quote
    /// the first.
    static let question = "Do I get a notification when hackers steal my personal information?"
    static let passages = [
        Passage(
            number: 1, chunkID: "c1", documentID: "nist-ai-600-1", documentTitle: "NIST AI 600-1",
            documentSource: "NIST", section: "2.9 Information Security", chunkIndex: 1,
            text: """
                Information security for computer systems and personal information is a mature field with widely \
                accepted practices. Hackers may get access to models and steal training data.
                """, score: 1),
        Passage(
            number: 2, chunkID: "c2", documentID: "eu-gdpr", documentTitle: "GDPR", documentSource: "EUR-Lex",
            section: "Article 34(1)", chunkIndex: 2,
            text: """
                When the personal data breach is likely to result in a high risk to the rights and freedoms of \
                natural persons, the controller shall communicate the personal data breach to the data subject \
                without undue delay.
                """, score: 0.9),
    ]

    @Test func theRealEncoderFindsTheProvisionWordedInTheLawsTerms() async throws {
        let library = try await TestLibrary.shared()
        let lexical = try await Answerer(chat: nil).answer(question: Self.question, passages: Self.passages)
        #expect(!lexical.text.contains("communicate the personal data breach"))
        let answer = try await Answerer.over(library.knowledgeBase, chat: nil)
            .answer(question: Self.question, passages: Self.passages)
        #expect(answer.text.contains("communicate the personal data breach"), "\(answer.text)")
        #expect(answer.citedSources.contains(2))
    }
}
