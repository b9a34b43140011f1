import AigovTestSupport
import Answering
import Foundation
import Testing

/// The chat client and the answerer against a real llama.cpp `llama-server` with SmolLM2-135M on loopback.
/// The model is tiny, so these tests assert the protocol and the answer's shape, never its wording.
@Suite(.serialized, .enabled(if: LlamaServer.isEnabled, "llama-server not installed: scripts/llm-server-setup"))
struct LlamaServerTests {
    static func configuration(_ server: LlamaServer, maxTokens: Int = 48) -> ChatConfiguration {
        ChatConfiguration(
            baseURL: server.baseURL, model: "smollm2", maxCompletionTokens: maxTokens, temperature: 0,
            timeout: .seconds(120), firstByteTimeout: .seconds(60))
    }

    static let messages: [ChatMessage] = [
        .system("You answer in one short sentence."), .user("What is a risk management system?"),
    ]

    @Test func wholeCompletionHasTextUsageAndAFinishReason() async throws {
        try await withLlamaServer { server in
            let client = try ChatClient(configuration: Self.configuration(server, maxTokens: 16))
            let completion = try await client.completion(Self.messages)
            #expect(!completion.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            #expect(completion.attempts == 1)
            #expect(["stop", "length"].contains(completion.finishReason ?? ""))
            let usage = try #require(completion.usage)
            #expect((usage.promptTokens ?? 0) > 0)
            // max_completion_tokens (and the legacy max_tokens) reached llama.cpp: it never writes more.
            #expect((usage.completionTokens ?? 0) > 0 && (usage.completionTokens ?? 99) <= 16)
        }
    }

    @Test func streamDeliversSeveralDeltasThatJoinToTheText() async throws {
        try await withLlamaServer { server in
            let client = try ChatClient(configuration: Self.configuration(server, maxTokens: 24))
            let deltas = Collector<String>()
            let completion = try await client.streamCompletion(Self.messages) { deltas.append($0) }
            #expect(deltas.all.count >= 2)
            #expect(deltas.all.joined() == completion.text)
            #expect(!completion.text.isEmpty)
            #expect(["stop", "length"].contains(completion.finishReason ?? ""))
        }
    }

    @Test func answerIsGeneratedWithOnlyValidCitationMarkers() async throws {
        try await withLlamaServer { server in
            let answerer = Answerer(chat: try ChatClient(configuration: Self.configuration(server)))
            let passages = samplePassages()
            let answer = try await answerer.answer(
                question: "Who must set up a risk management system?", passages: passages)
            #expect(answer.mode == .generated)
            #expect(answer.fallbackReason == nil)
            #expect(!answer.text.isEmpty)
            #expect(answer.citedSources.allSatisfy { (1...passages.count).contains($0) })
            // Whatever the model wrote, markers naming no source are gone and the verdict matches the text.
            let check = GroundingCheck(text: answer.text, sourceCount: passages.count)
            #expect(check.text == answer.text)
            #expect(check.grounded == answer.grounded)
            #expect(check.citedSources == answer.citedSources)
            #expect(check.unsupportedSentences == answer.unsupportedSentences)
            #expect(answer.unsupportedSentences.isEmpty || !answer.grounded)
            #expect(answer.timings.generationMilliseconds > 0)
        }
    }

    @Test func streamedAnswerDeltasJoinToTheDoneText() async throws {
        try await withLlamaServer { server in
            let answerer = Answerer(chat: try ChatClient(configuration: Self.configuration(server)))
            var deltas: [String] = []
            var final: Answer?
            for try await event in answerer.streamAnswer(
                question: "What must deployers do?", passages: samplePassages())
            {
                switch event {
                case .delta(let text):
                    #expect(final == nil, "a delta after done")
                    deltas.append(text)
                case .done(let answer): final = answer
                }
            }
            let answer = try #require(final)
            #expect(answer.mode == .generated)
            #expect(!deltas.isEmpty)
            #expect(deltas.joined() == answer.text)
            #expect(answer.timings.firstTokenMilliseconds != nil)
        }
    }

    /// Cancelling a stream closes the request; llama-server stops that slot and serves the next request.
    @Test func cancelledStreamLeavesTheServerServing() async throws {
        try await withLlamaServer { server in
            let client = try ChatClient(configuration: Self.configuration(server, maxTokens: 256))
            let firstDelta = Collector<String>()
            let task = Task {
                try await client.streamCompletion([.user("Write a long story about a robot.")]) { delta in
                    firstDelta.append(delta)
                }
            }
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(60)
            while firstDelta.all.isEmpty && clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(!firstDelta.all.isEmpty)
            task.cancel()
            let outcome = await task.result
            if case .success(let completion) = outcome {
                // It may have finished first only if it stopped early; it must not run all 256 tokens.
                #expect(completion.finishReason == "stop")
            }
            let next = try await ChatClient(configuration: Self.configuration(server, maxTokens: 8))
                .completion(Self.messages)
            #expect(!next.text.isEmpty)
        }
    }

    /// A model name the server does not know is not an error for llama-server (it serves its one model), but a
    /// wrong path is: a 404 maps to a typed, non-retried error without the upstream body.
    @Test func wrongPathIsATypedErrorNotRetried() async throws {
        try await withLlamaServer { server in
            var configuration = Self.configuration(server)
            configuration.baseURL = "http://127.0.0.1:\(server.port)/no-such-api"
            let client = try ChatClient(configuration: configuration)
            let thrown = await error { _ = try await client.completion(Self.messages) }
            let failure = try #require(thrown)
            #expect(failure.code == .llmUpstreamError)
            #expect(failure.httpStatus == 404)
            #expect(!failure.description.contains("File Not Found"))
        }
    }
}
