import AigovTestSupport
import Answering
import Foundation
import Testing

/// The answering pipeline end to end against the scripted server: generation, post-check, fallbacks.
@Suite struct AnswererTests {
    static let question = "What must providers of high-risk AI systems establish?"

    static func answerer(_ server: ScriptedServer, _ scenario: String, firstByteTimeout: Duration = .seconds(120))
        throws
        -> (Answerer, String)
    {
        let name = model(scenario)
        let configuration = ChatClientTests.configuration(server, model: name, firstByteTimeout: firstByteTimeout)
        return (Answerer(chat: try ChatClient(configuration: configuration)), name)
    }

    /// The deltas and the final answer of a streamed answer.
    static func collect(_ stream: AsyncThrowingStream<AnswerEvent, any Error>) async throws -> ([String], Answer) {
        var deltas: [String] = []
        var final: Answer?
        for try await event in stream {
            switch event {
            case .delta(let text):
                #expect(final == nil, "a delta after done")
                deltas.append(text)
            case .done(let answer): final = answer
            }
        }
        return (deltas, try #require(final))
    }

    @Test func streamedAnswerDropsInvalidCitationsAsItGoes() async throws {
        try await withScriptedServer { server in
            let (answerer, _) = try Self.answerer(server, "groq_stream")
            let (deltas, answer) = try await Self.collect(
                answerer.streamAnswer(question: Self.question, passages: samplePassages(count: 2)))
            #expect(answer.mode == .generated)
            #expect(answer.fallbackReason == nil)
            #expect(
                answer.text
                    == "Providers of high-risk AI systems must establish a risk management system [1]. Deployers must "
                    + "monitor the operation of the system [2].\n\nNon-compliance can lead to fines .")
            #expect(deltas.joined() == answer.text)
            #expect(answer.citedSources == [1, 2])
            #expect(!answer.grounded, "the second paragraph lost its only citation")
            #expect(answer.unsupportedSentences == ["Non-compliance can lead to fines."])
            #expect(answer.usage?.promptTokens == 321)
            let firstToken = try #require(answer.timings.firstTokenMilliseconds)
            #expect(firstToken <= answer.timings.generationMilliseconds)
        }
    }

    @Test func everyParagraphCitingASourceIsGrounded() async throws {
        try await withScriptedServer { server in
            let (answerer, _) = try Self.answerer(server, "groq_stream")
            let passages = (1...9).map { number in
                var passage = samplePassages(count: 1)[0]
                passage.number = number
                return passage
            }
            let (deltas, answer) = try await Self.collect(
                answerer.streamAnswer(question: Self.question, passages: passages))
            #expect(answer.text == scriptedAnswerPieces.joined())
            #expect(deltas.joined() == answer.text)
            #expect(answer.citedSources == [1, 2, 7, 9])
            #expect(answer.grounded)
        }
    }

    /// The scripted model's answer mixes cited sentences, a heading, a lead-in, a marker after the full stop,
    /// a list item without a source and a sentence whose only marker names no source: exactly the last two are
    /// reported, and the answer is not grounded.
    @Test func everySentenceWithoutASourceIsReported() async throws {
        try await withScriptedServer { server in
            let (answerer, _) = try Self.answerer(server, "replay=grounding-mixed.json")
            let answer = try await answerer.answer(question: Self.question, passages: samplePassages(count: 3))
            #expect(answer.mode == .generated)
            #expect(answer.citedSources == [1, 2])
            #expect(answer.unsupportedSentences == ["- keep logs for ten years", "Fines reach EUR 35 million."])
            #expect(!answer.grounded)
        }
    }

    @Test func theModelIsAskedForProvisionNumbersWithOperativeSourcesFirst() async throws {
        try await withScriptedServer { server in
            let (answerer, name) = try Self.answerer(server, "groq_stream")
            var passages = samplePassages(count: 3)
            passages[0].section = "Recital 53"
            let answer = try await answerer.answer(question: Self.question, passages: passages)
            // The model cites by the retrieval numbers, which are still the citations' places.
            #expect(answer.citedSources == [1, 2])
            let request = try #require(server.requests(model: name).first)
            let body = try #require(request["body"] as? [String: Any])
            let messages = try #require(body["messages"] as? [[String: String]])
            let user = try #require(messages[1]["content"])
            let recital = try #require(user.range(of: "[1] EU AI Act — Recital 53"))
            let article = try #require(user.range(of: "[2] EU AI Act — Article 26"))
            #expect(article.lowerBound < recital.lowerBound)
            #expect(messages[0]["content"]?.contains("name its number") == true)
        }
    }

    @Test func wholeAnswerCollectsTheStream() async throws {
        try await withScriptedServer { server in
            let (answerer, name) = try Self.answerer(server, "groq_stream")
            let answer = try await answerer.answer(question: Self.question, passages: samplePassages(count: 2))
            let (_, streamed) = try await Self.collect(
                answerer.streamAnswer(question: Self.question, passages: samplePassages(count: 2)))
            #expect(answer.text == streamed.text)
            #expect(answer.mode == .generated)
            #expect(answer.citedSources == [1, 2])
            #expect(answer.timings.firstTokenMilliseconds != nil)
            let request = try #require(server.requests(model: name).first)
            let body = try #require(request["body"] as? [String: Any])
            #expect(body["stream"] as? Bool == true)
            let messages = try #require(body["messages"] as? [[String: String]])
            #expect(messages.map { $0["role"] } == ["system", "user"])
            #expect(messages[1]["content"]?.contains("[1] EU AI Act — Article 9 — p. 50") == true)
            #expect(messages[1]["content"]?.contains(Self.question) == true)
        }
    }

    @Test func aServerAnsweringWithJSONStillGivesAGeneratedAnswer() async throws {
        try await withScriptedServer { server in
            let (answerer, _) = try Self.answerer(server, "nonstream")
            let (deltas, answer) = try await Self.collect(
                answerer.streamAnswer(question: Self.question, passages: samplePassages(count: 2)))
            #expect(answer.mode == .generated)
            #expect(deltas.joined() == answer.text)
            #expect(answer.text.hasSuffix("fines ."))
        }
    }

    @Test func withoutAModelTheAnswerIsExtractive() async throws {
        let answerer = Answerer(chat: nil)
        let answer = try await answerer.answer(question: Self.question, passages: samplePassages())
        #expect(answer.mode == .extractive)
        #expect(answer.fallbackReason == .notConfigured)
        #expect(answer.text.contains("A risk management system shall be established"))
        #expect(answer.citedSources.first == 1)
        #expect(answer.grounded)

        let (deltas, streamed) = try await Self.collect(
            answerer.streamAnswer(question: Self.question, passages: samplePassages()))
        #expect(deltas.joined() == streamed.text)
        #expect(streamed.text == answer.text)
    }

    @Test func withoutPassagesItSaysItCannotFindTheAnswer() async throws {
        try await withScriptedServer { server in
            let (answerer, name) = try Self.answerer(server, "groq_stream")
            let answer = try await answerer.answer(question: Self.question, passages: [])
            #expect(answer.text == Answerer.noSourcesText)
            #expect(answer.fallbackReason == .noSources)
            #expect(!answer.grounded)
            let (_, streamed) = try await Self.collect(answerer.streamAnswer(question: Self.question, passages: []))
            #expect(streamed.text == Answerer.noSourcesText)
            #expect(server.requests(model: name).isEmpty, "no model call without sources")
        }
    }

    @Test func anOutageFallsBackToExtractiveAfterRetries() async throws {
        try await withScriptedServer { server in
            let (answerer, name) = try Self.answerer(server, "server_error_always")
            let answer = try await answerer.answer(question: Self.question, passages: samplePassages())
            #expect(answer.mode == .extractive)
            #expect(answer.fallbackReason == FallbackReason(.llmUnavailable))
            #expect(answer.grounded)
            #expect(server.requests(model: name).count == 3)

            let (deltas, streamed) = try await Self.collect(
                answerer.streamAnswer(question: Self.question, passages: samplePassages()))
            #expect(streamed.mode == .extractive)
            #expect(streamed.fallbackReason == FallbackReason(.llmUnavailable))
            #expect(deltas.joined() == streamed.text)
        }
    }

    @Test func aSlowModelFallsBackOnTheFirstByteTimeout() async throws {
        try await withScriptedServer { server in
            let (answerer, _) = try Self.answerer(server, "slow_first_byte", firstByteTimeout: .milliseconds(400))
            let (_, answer) = try await Self.collect(
                answerer.streamAnswer(question: Self.question, passages: samplePassages()))
            #expect(answer.mode == .extractive)
            #expect(answer.fallbackReason == FallbackReason(.llmTimeout))
        }
    }

    @Test func anEmptyModelAnswerFallsBack() async throws {
        try await withScriptedServer { server in
            let (answerer, _) = try Self.answerer(server, "empty_answer")
            let (_, answer) = try await Self.collect(
                answerer.streamAnswer(question: Self.question, passages: samplePassages()))
            #expect(answer.mode == .extractive)
            #expect(answer.fallbackReason == FallbackReason(.llmBadResponse))
        }
    }

    @Test(arguments: [
        ("cut_mid_stream", AnsweringError.Code.llmStreamInterrupted), ("groq_error_mid_stream", .llmUpstreamError),
    ])
    func aFailureAfterOutputKeepsThePartAndSaysSo(scenario: String, code: AnsweringError.Code) async throws {
        try await withScriptedServer { server in
            let (answerer, name) = try Self.answerer(server, scenario)
            let (deltas, answer) = try await Self.collect(
                answerer.streamAnswer(question: Self.question, passages: samplePassages()))
            #expect(answer.mode == .generated)
            #expect(answer.isInterrupted)
            #expect(answer.fallbackReason == FallbackReason(code))
            #expect(
                answer.text
                    == "Providers of high-risk AI systems must establish a risk management system [1].\n\n"
                    + Answerer.interruptionNote)
            #expect(deltas.joined() == answer.text)
            #expect(answer.grounded, "judged on the model's part")
            #expect(answer.citedSources == [1])
            #expect(server.requests(model: name).count == 1)
        }
    }

    @Test func cancellingTheConsumingTaskCancelsTheModelRequest() async throws {
        try await withScriptedServer { server in
            let (answerer, name) = try Self.answerer(server, "slow_stream")
            let stream = answerer.streamAnswer(question: Self.question, passages: samplePassages())
            let (firstDelta, signal) = AsyncStream.makeStream(of: Void.self)
            let consumer = Task {
                for try await event in stream {
                    if case .delta = event { signal.yield() }
                }
            }
            for await _ in firstDelta { break }
            consumer.cancel()
            _ = await consumer.result
            #expect(await server.waitForDisconnect(model: name, timeout: .seconds(30)))
        }
    }

    @Test func droppingTheStreamCancelsTheModelRequest() async throws {
        try await withScriptedServer { server in
            let (answerer, name) = try Self.answerer(server, "slow_stream")
            // The stream is released when this function returns, which ends it.
            func readFirstDelta() async throws {
                for try await event in answerer.streamAnswer(question: Self.question, passages: samplePassages()) {
                    if case .delta = event { break }
                }
            }
            try await readFirstDelta()
            #expect(await server.waitForDisconnect(model: name, timeout: .seconds(30)))
        }
    }

    @Test func cancellingAWholeAnswerThrowsCancelled() async throws {
        try await withScriptedServer { server in
            let (answerer, _) = try Self.answerer(server, "slow_first_byte")
            let task = Task {
                await error { _ = try await answerer.answer(question: Self.question, passages: samplePassages()) }
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            #expect(await task.value?.code == .cancelled)
        }
    }
}
