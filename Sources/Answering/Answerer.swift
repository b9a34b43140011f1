import Foundation
import Synchronization

/// Answers a question from retrieved passages: with the chat model when one is configured, else (or when it
/// fails before writing anything) extractively. An LLM outage never becomes an error.
///
/// Passages are given best first and numbered `1...n` in that order (``Passage/number``); markers naming a
/// number outside the passages in the prompt are removed.
///
/// When a streamed answer fails after part of it reached the caller, the part is kept: the stream sends one
/// more delta with ``interruptionNote`` and ends with a `.done` answer in `.generated` mode whose
/// `fallbackReason` is the error's code (``Answer/isInterrupted``). Replacing text the reader has already
/// seen with an extractive answer would be more confusing than saying that it stopped.
public struct Answerer: Sendable {
    /// The model, or nil when none is configured.
    public let chat: ChatClient?
    public var promptBuilder: PromptBuilder
    public var extractive: ExtractiveAnswerer
    /// Scores the extractive answer's candidate sentences against the question with the sentence encoder, when
    /// given (``ExtractiveAnswerer/answer(question:passages:relevance:)``).
    public var relevance: StatementRelevance?

    public init(
        chat: ChatClient?, promptBuilder: PromptBuilder = PromptBuilder(),
        extractive: ExtractiveAnswerer = ExtractiveAnswerer(), relevance: StatementRelevance? = nil
    ) {
        self.chat = chat
        self.promptBuilder = promptBuilder
        self.extractive = extractive
        self.relevance = relevance
    }

    /// The answer when retrieval found no passage.
    public static let noSourcesText =
        "I cannot find the answer: no passages in the indexed documents match the question."
    /// Appended, as its own paragraph, to a streamed answer that broke off.
    public static let interruptionNote =
        "(The answer above is incomplete: the language model stopped before it finished.)"

    private static let clock = ContinuousClock()

    // MARK: Whole answers

    /// The answer to `question` from `passages`. Throws only `cancelled`, when the calling task is cancelled.
    ///
    /// The model is asked for a stream all the same, collected here: that keeps its first-byte timeout (a
    /// non-streamed completion sends nothing until it has finished) and gives the same answer as
    /// ``streamAnswer(question:passages:)``.
    public func answer(question: String, passages: [Passage]) async throws(AnsweringError) -> Answer {
        let final = FinalAnswer()
        await produce(question: question, passages: passages) { event in
            if case .done(let answer) = event { final.value.withLock { $0 = answer } }
        }
        guard let answer = final.value.withLock({ $0 }) else {
            throw AnsweringError(.cancelled, "answering was cancelled")
        }
        return answer
    }

    private final class FinalAnswer: Sendable {
        let value = Mutex<Answer?>(nil)
    }

    private func noSourcesAnswer(since start: ContinuousClock.Instant) -> Answer {
        Answer(
            text: Self.noSourcesText, mode: .extractive, citedSources: [], grounded: false,
            timings: AnswerTimings(generationMilliseconds: Self.milliseconds(since: start)), fallbackReason: .noSources)
    }

    private func extractiveAnswer(
        _ question: String, _ passages: [Passage], reason: FallbackReason, since start: ContinuousClock.Instant
    ) async -> Answer {
        let result =
            if let relevance {
                await extractive.answer(question: question, passages: passages, relevance: relevance)
            } else {
                extractive.answer(question: question, passages: passages)
            }
        let check = GroundingCheck(text: result.text, sourceCount: passages.count)
        return Answer(
            text: check.text, mode: .extractive, citedSources: check.citedSources, grounded: check.grounded,
            timings: AnswerTimings(generationMilliseconds: Self.milliseconds(since: start)), fallbackReason: reason,
            unsupportedSentences: check.unsupportedSentences)
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = (clock.now - start).components
        return Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
    }

    // MARK: Streamed answers

    /// Streams the answer to `question`: `.delta` events with the text as it is written, then one `.done`.
    /// The stream does not throw. Cancelling the iterating task, or releasing the stream (which stopping
    /// iteration does once nothing else holds it), cancels the model request.
    public func streamAnswer(question: String, passages: [Passage]) -> AsyncThrowingStream<AnswerEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                await self.produce(question: question, passages: passages) { continuation.yield($0) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The model's streamed text as the caller sees it: invalid markers filtered, and whitespace at either end
    /// held back, so that the deltas joined are exactly the final (trimmed) text.
    private final class StreamedText: Sendable {
        private struct State {
            var filter: CitationStreamFilter
            var text = ""
            /// Whitespace released by the filter but not sent: it is sent only when more text follows.
            var trailingWhitespace = ""
            var firstDelta: ContinuousClock.Instant?

            mutating func release(_ piece: String) -> String {
                var released = trailingWhitespace + piece
                if text.isEmpty { released = String(released.drop(while: \.isWhitespace)) }
                let body = released.reversed().drop(while: \.isWhitespace).count
                trailingWhitespace = String(released.dropFirst(body))
                released = String(released.prefix(body))
                if !released.isEmpty {
                    text += released
                    if firstDelta == nil { firstDelta = Answerer.clock.now }
                }
                return released
            }
        }

        private let state: Mutex<State>

        init(sourceCount: Int) {
            state = Mutex(State(filter: CitationStreamFilter(sourceCount: sourceCount)))
        }

        /// The part of `piece` to send now.
        func accept(_ piece: String) -> String {
            state.withLock { state in state.release(state.filter.push(piece)) }
        }

        /// What the filter still held, to send at the end.
        func finish() -> String {
            state.withLock { state in state.release(state.filter.finish()) }
        }

        var text: String { state.withLock { $0.text } }
        var firstDelta: ContinuousClock.Instant? { state.withLock { $0.firstDelta } }
    }

    /// Produces the events of an answer into `emit`, ending with `.done` unless the task is cancelled.
    private func produce(
        question: String, passages: [Passage], emit: @escaping @Sendable (AnswerEvent) -> Void
    ) async {
        let start = Self.clock.now
        func send(_ answer: Answer) {
            emit(.delta(answer.text))
            emit(.done(answer))
        }
        guard !passages.isEmpty else { return send(noSourcesAnswer(since: start)) }
        guard let chat else {
            return send(await extractiveAnswer(question, passages, reason: .notConfigured, since: start))
        }
        let prompt = promptBuilder.build(question: question, passages: passages)
        let streamed = StreamedText(sourceCount: prompt.includedSources.count)
        var failure: AnsweringError?
        var usage: ChatUsage?
        do {
            let completion = try await chat.streamCompletion(prompt.messages) { piece in
                let released = streamed.accept(piece)
                if !released.isEmpty { emit(.delta(released)) }
            }
            usage = completion.usage
        } catch  where error.code == .cancelled {
            return
        } catch {
            failure = error
        }
        let rest = streamed.finish()
        guard !streamed.text.isEmpty else {
            // Nothing reached the caller: the extractive answer can still take the model's place.
            let reason = FallbackReason(failure?.code ?? .llmBadResponse)
            return send(await extractiveAnswer(question, passages, reason: reason, since: start))
        }
        if !rest.isEmpty { emit(.delta(rest)) }
        let check = GroundingCheck(text: streamed.text, sourceCount: prompt.includedSources.count)
        var text = check.text
        if failure != nil {
            let note = "\n\n" + Self.interruptionNote
            emit(.delta(note))
            text += note
        }
        let firstToken = streamed.firstDelta.map { first in
            let elapsed = (first - start).components
            return Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        }
        emit(
            .done(
                Answer(
                    text: text, mode: .generated, citedSources: check.citedSources, grounded: check.grounded,
                    timings: AnswerTimings(
                        generationMilliseconds: Self.milliseconds(since: start), firstTokenMilliseconds: firstToken),
                    fallbackReason: failure.map { FallbackReason($0.code) }, usage: usage,
                    unsupportedSentences: check.unsupportedSentences)))
    }
}
