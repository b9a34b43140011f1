import AigovTestSupport
import Answering
import Foundation
import Testing

/// The chat client against the scripted OpenAI-compatible server on loopback.
@Suite struct ChatClientTests {
    static let key = "test-key-0123456789"

    static func configuration(
        _ server: ScriptedServer, model: String, key: String? = ChatClientTests.key, timeout: Duration = .seconds(180),
        firstByteTimeout: Duration = .seconds(120),
        retry: RetryPolicy = RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(20), maxDelay: .seconds(3))
    ) -> ChatConfiguration {
        ChatConfiguration(
            baseURL: server.baseURL, apiKey: key, model: model, maxCompletionTokens: 256, timeout: timeout,
            firstByteTimeout: firstByteTimeout, retry: retry)
    }

    static let messages: [ChatMessage] = [.system("Answer from the sources."), .user("Who must do what?")]

    @Test func groqStreamDeliversTheAnswerAndSendsTheRequestAsConfigured() async throws {
        try await withScriptedServer { server in
            let name = model("groq_stream")
            let client = try ChatClient(configuration: Self.configuration(server, model: name))
            let deltas = Collector<String>()
            let completion = try await client.streamCompletion(Self.messages) { deltas.append($0) }
            #expect(deltas.all == scriptedAnswerPieces)
            #expect(completion.text == scriptedAnswerPieces.joined())
            #expect(completion.finishReason == "stop")
            #expect(completion.usage == ChatUsage(promptTokens: 321, completionTokens: 42, totalTokens: 363))
            #expect(completion.attempts == 1)

            let requests = server.requests(model: name)
            try #require(requests.count == 1)
            let headers = try #require(requests[0]["headers"] as? [String: String])
            #expect(headers["authorization"] == "Bearer \(Self.key)")
            #expect(headers["accept"] == "text/event-stream")
            #expect(headers["content-type"] == "application/json")
            #expect(requests[0]["path"] as? String == "/v1/chat/completions")
            let body = try #require(requests[0]["body"] as? [String: Any])
            #expect(body["model"] as? String == name)
            #expect(body["temperature"] as? Double == 0.2)
            #expect(body["max_completion_tokens"] as? Int == 256)
            #expect(body["max_tokens"] as? Int == 256)
            #expect(body["stream"] as? Bool == true)
            let messages = try #require(body["messages"] as? [[String: String]])
            #expect(
                messages == [
                    ["role": "system", "content": "Answer from the sources."],
                    ["role": "user", "content": "Who must do what?"],
                ])
        }
    }

    @Test func noAuthorizationHeaderWithoutAKey() async throws {
        try await withScriptedServer { server in
            for key: String? in [nil, "", "  \n"] {
                let name = model("groq_stream")
                let client = try ChatClient(configuration: Self.configuration(server, model: name, key: key))
                _ = try await client.streamCompletion(Self.messages) { _ in }
                let headers = try #require(server.requests(model: name).first?["headers"] as? [String: String])
                #expect(headers["authorization"] == nil)
            }
        }
    }

    @Test func llamaCppStreamWithCRLFTimingsAndFinalUsage() async throws {
        try await withScriptedServer { server in
            let client = try ChatClient(configuration: Self.configuration(server, model: model("llamacpp_stream")))
            let completion = try await client.streamCompletion(Self.messages) { _ in }
            #expect(completion.text == scriptedAnswerPieces.joined())
            #expect(completion.usage == ChatUsage(promptTokens: 300, completionTokens: 40, totalTokens: 340))
        }
    }

    @Test func bytesSplitAcrossReadsKeepUTF8Intact() async throws {
        try await withScriptedServer { server in
            let client = try ChatClient(configuration: Self.configuration(server, model: model("fragmented")))
            let completion = try await client.streamCompletion(Self.messages) { _ in }
            #expect(completion.text == "Données — “quoted” 🤖 text [1].")
        }
    }

    @Test func nonStreamedCompletion() async throws {
        try await withScriptedServer { server in
            let name = model("nonstream")
            let client = try ChatClient(configuration: Self.configuration(server, model: name))
            let completion = try await client.completion(Self.messages)
            #expect(completion.text == scriptedAnswerPieces.joined())
            #expect(completion.usage?.totalTokens == 340)
            let request = try #require(server.requests(model: name).first)
            #expect((request["body"] as? [String: Any])?["stream"] as? Bool == false)
            #expect((request["headers"] as? [String: String])?["accept"] == "application/json")
        }
    }

    @Test func aServerIgnoringStreamStillAnswersAsOneDelta() async throws {
        try await withScriptedServer { server in
            let client = try ChatClient(configuration: Self.configuration(server, model: model("ignores_stream")))
            let deltas = Collector<String>()
            let completion = try await client.streamCompletion(Self.messages) { deltas.append($0) }
            #expect(deltas.all == [scriptedAnswerPieces.joined()])
            #expect(completion.text == scriptedAnswerPieces.joined())
        }
    }

    @Test func rateLimitWaitsForRetryAfter() async throws {
        try await withScriptedServer { server in
            let name = model("rate_limited_once")
            let client = try ChatClient(configuration: Self.configuration(server, model: name))
            var completion: ChatCompletion?
            let elapsed = await seconds { completion = try? await client.streamCompletion(Self.messages) { _ in } }
            #expect(completion?.attempts == 2)
            #expect(completion?.text == scriptedAnswerPieces.joined())
            #expect(elapsed >= 0.95)
            #expect(server.requests(model: name).count == 2)
        }
    }

    @Test func aRetryAfterBeyondTheCapFailsAtOnce() async throws {
        try await withScriptedServer { server in
            let name = model("rate_limited_long")
            let client = try ChatClient(configuration: Self.configuration(server, model: name))
            var failure: AnsweringError?
            let elapsed = await seconds {
                failure = await error { _ = try await client.streamCompletion(Self.messages) { _ in } }
            }
            #expect(failure?.code == .llmRateLimited)
            #expect(failure?.httpStatus == 429)
            // Far under the 120 s asked for, far over any stall of a loaded run.
            #expect(elapsed < 60, "the 120 s retry-after is not waited for")
            #expect(server.requests(model: name).count == 1)
        }
    }

    @Test func unavailableTwiceThenSuccess() async throws {
        try await withScriptedServer { server in
            let name = model("unavailable_twice")
            let client = try ChatClient(configuration: Self.configuration(server, model: name))
            let completion = try await client.completion(Self.messages)
            #expect(completion.attempts == 3)
            #expect(server.requests(model: name).count == 3)
        }
    }

    @Test func persistentServerErrorsStopAfterTwoRetries() async throws {
        try await withScriptedServer { server in
            let name = model("server_error_always")
            let client = try ChatClient(configuration: Self.configuration(server, model: name))
            let failure = await error { _ = try await client.streamCompletion(Self.messages) { _ in } }
            #expect(failure?.code == .llmUnavailable)
            #expect(failure?.httpStatus == 500)
            #expect(failure?.message.contains("3 attempts") == true)
            #expect(server.requests(model: name).count == 3)
        }
    }

    @Test func noRetriesWhenThePolicySaysNone() async throws {
        try await withScriptedServer { server in
            let name = model("unavailable_twice")
            let client = try ChatClient(configuration: Self.configuration(server, model: name, retry: .none))
            let failure = await error { _ = try await client.completion(Self.messages) }
            #expect(failure?.code == .llmUnavailable)
            #expect(server.requests(model: name).count == 1)
        }
    }

    @Test func errorsNeverCarryTheBodyOrTheKey() async throws {
        try await withScriptedServer { server in
            for (scenario, code, attempts) in [
                ("bad_gateway_secret", AnsweringError.Code.llmUnavailable, 3), ("unauthorized", .llmUnauthorized, 1),
                ("bad_request", .llmUpstreamError, 1),
            ] {
                let name = model(scenario)
                let client = try ChatClient(configuration: Self.configuration(server, model: name))
                let failure = try #require(await error { _ = try await client.completion(Self.messages) })
                #expect(failure.code == code, "\(scenario)")
                #expect(server.requests(model: name).count == attempts, "\(scenario)")
                for text in [failure.description, failure.message, String(reflecting: failure)] {
                    #expect(!text.contains(scriptedSecret), "\(scenario)")
                    #expect(!text.contains(Self.key), "\(scenario)")
                    #expect(!text.contains("exploded"), "\(scenario)")
                }
            }
        }
    }

    @Test func probeAsksForTheModelListOnceAndMapsFailuresWithoutTheBody() async throws {
        try await withScriptedServer { server in
            let healthy = try ChatClient(configuration: Self.configuration(server, model: "m"))
            try await healthy.probe()
            let request = try #require(server.requests(model: "models").last)
            #expect(request["path"] as? String == "/v1/models")
            #expect((request["headers"] as? [String: Any])?["authorization"] as? String == "Bearer \(Self.key)")

            for (key, code) in [("sk-refused", AnsweringError.Code.llmUnauthorized), ("sk-busy", .llmUnavailable)] {
                let before = server.requests(model: "models").count
                let client = try ChatClient(configuration: Self.configuration(server, model: "m", key: key))
                let failure = try #require(await error { try await client.probe() })
                #expect(failure.code == code, "\(key)")
                // A probe is one request: a 503 is not retried, health must stay quick.
                #expect(server.requests(model: "models").count == before + 1, "\(key)")
                #expect(!failure.description.contains(scriptedSecret) && !failure.description.contains(key))
            }

            let slow = try ChatClient(configuration: Self.configuration(server, model: "m", key: "sk-slow"))
            var failure: AnsweringError?
            let elapsed = await seconds { failure = await error { try await slow.probe(timeout: .milliseconds(300)) } }
            #expect(failure?.code == .llmTimeout)
            #expect(elapsed < 40, "the probe's own timeout ends it, not the server's 60 s")
        }
        let closed = try ChatClient(
            configuration: ChatConfiguration(baseURL: "http://127.0.0.1:9/v1", apiKey: Self.key, model: "m"))
        #expect(await error { try await closed.probe() }?.code == .llmUnavailable)
    }

    @Test func aStreamCutAfterOutputIsNotRetried() async throws {
        try await withScriptedServer { server in
            let name = model("cut_mid_stream")
            let client = try ChatClient(configuration: Self.configuration(server, model: name))
            let deltas = Collector<String>()
            let failure = await error { _ = try await client.streamCompletion(Self.messages) { deltas.append($0) } }
            #expect(failure?.code == .llmStreamInterrupted)
            #expect(deltas.all == Array(scriptedAnswerPieces.prefix(2)))
            #expect(server.requests(model: name).count == 1)
        }
    }

    @Test func aStreamCutBeforeOutputIsRetried() async throws {
        try await withScriptedServer { server in
            let client = try ChatClient(configuration: Self.configuration(server, model: model("cut_before_content")))
            let completion = try await client.streamCompletion(Self.messages) { _ in }
            #expect(completion.attempts == 2)
            #expect(completion.text == scriptedAnswerPieces.joined())
        }
    }

    @Test func groqErrorEventMidStreamIsATypedError() async throws {
        try await withScriptedServer { server in
            let name = model("groq_error_mid_stream")
            let client = try ChatClient(configuration: Self.configuration(server, model: name))
            let deltas = Collector<String>()
            let failure = await error { _ = try await client.streamCompletion(Self.messages) { deltas.append($0) } }
            #expect(failure?.code == .llmUpstreamError)
            #expect(failure?.description.contains(scriptedSecret) == false)
            #expect(deltas.all.count == 2)
            #expect(server.requests(model: name).count == 1)
        }
    }

    @Test func anErrorEventBeforeOutputIsRetried() async throws {
        try await withScriptedServer { server in
            let client = try ChatClient(configuration: Self.configuration(server, model: model("groq_error_first")))
            let completion = try await client.streamCompletion(Self.messages) { _ in }
            #expect(completion.attempts == 2)
        }
    }

    @Test func slowFirstByteTimesOutWithoutRetrying() async throws {
        try await withScriptedServer { server in
            let name = model("slow_first_byte")
            let client = try ChatClient(
                configuration: Self.configuration(server, model: name, firstByteTimeout: .milliseconds(500)))
            var failure: AnsweringError?
            // A reply does come after 60 s (inside the 180 s budget), so `llmTimeout` alone shows that the
            // first-byte timer cut the request; no wall-clock bound, which a loaded machine would blur.
            failure = await error { _ = try await client.streamCompletion(Self.messages) { _ in } }
            #expect(failure?.code == .llmTimeout)
            #expect(server.requests(model: name).count == 1)
        }
    }

    @Test func totalBudgetEndsASlowStream() async throws {
        try await withScriptedServer { server in
            let name = model("slow_stream")
            let client = try ChatClient(configuration: Self.configuration(server, model: name, timeout: .seconds(1)))
            let deltas = Collector<String>()
            var failure: AnsweringError?
            // The stream would complete after 60 s, so `llmTimeout` shows the 1 s budget cut it.
            failure = await error { _ = try await client.streamCompletion(Self.messages) { deltas.append($0) } }
            #expect(failure?.code == .llmTimeout)
            #expect(deltas.all == ["Providers must act [1]."])
            #expect(await server.waitForDisconnect(model: name, timeout: .seconds(30)))
        }
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        try await withScriptedServer { server in
            let name = model("slow_stream")
            let client = try ChatClient(configuration: Self.configuration(server, model: name))
            let (firstDelta, signal) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                await error { _ = try await client.streamCompletion(Self.messages) { _ in signal.yield() } }
            }
            for await _ in firstDelta { break }
            var failure: AnsweringError?
            let elapsed = await seconds {
                task.cancel()
                failure = await task.value
            }
            #expect(failure?.code == .cancelled)
            #expect(elapsed < 40, "the 60 s stream is not waited for")
            #expect(await server.waitForDisconnect(model: name, timeout: .seconds(30)))
        }
    }

    @Test func anUnreachableUpstreamIsUnavailable() async throws {
        let configuration = ChatConfiguration(
            baseURL: "http://127.0.0.1:1/v1", model: "m",
            retry: RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(10)))
        let client = try ChatClient(configuration: configuration)
        let failure = await error { _ = try await client.completion(Self.messages) }
        #expect(failure?.code == .llmUnavailable)
    }

    @Test func anOwnedHTTPClientIsShutDownAfterUse() async throws {
        try await withScriptedServer { server in
            let configuration = Self.configuration(server, model: model("groq_stream"))
            let text = try await ChatClient.withOwnedHTTPClient(configuration: configuration) { client in
                try await client.streamCompletion(Self.messages) { _ in }.text
            }
            #expect(text == scriptedAnswerPieces.joined())
        }
    }

    @Test func unusableConfigurationsAreRejectedWithoutEchoingTheKey() {
        let badURL = ChatConfiguration(baseURL: "ftp://example.com/v1", model: "m")
        #expect(throws: AnsweringError.self) { try ChatClient(configuration: badURL) }
        let badKey = ChatConfiguration(baseURL: "http://127.0.0.1:8080/v1", apiKey: "abc\ndef-secret", model: "m")
        do {
            _ = try ChatClient(configuration: badKey)
            Issue.record("a key with a line break was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(!error.description.contains("def-secret"))
        }
    }

    @Test func configurationDescriptionsRedactTheKey() {
        let configuration = ChatConfiguration(
            baseURL: "https://api.groq.com/openai/v1", apiKey: "gsk_secret", model: "m")
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), dumped, "\(configuration)"] {
            #expect(!text.contains("gsk_secret"))
            #expect(text.contains("<redacted>"))
        }
        #expect(configuration.apiKey == "gsk_secret")
    }

    @Test func maxTokensIsSentExceptToOpenAI() {
        #expect(ChatConfiguration(baseURL: "https://api.groq.com/openai/v1", model: "m").sendsLegacyMaxTokens)
        #expect(ChatConfiguration(baseURL: "http://127.0.0.1:8080/v1", model: "m").sendsLegacyMaxTokens)
        #expect(!ChatConfiguration(baseURL: "https://api.openai.com/v1", model: "m").sendsLegacyMaxTokens)
        #expect(
            !ChatConfiguration(baseURL: "http://x/v1", model: "m", sendsLegacyMaxTokens: false).sendsLegacyMaxTokens)
    }
}
