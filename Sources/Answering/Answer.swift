/// An answer to a question, with what the server reports about it (ARCHITECTURE.md section 8: `answer`, `mode`,
/// `grounded`, `timings`).
public struct Answer: Sendable, Hashable, Codable {
    /// Who wrote the text.
    public enum Mode: String, Sendable, Hashable, Codable {
        /// The language model, from the numbered sources.
        case generated
        /// Sentences quoted from the sources, without a model (no model configured, or it failed before
        /// writing anything), or the fixed "cannot find" text when there were no sources.
        case extractive
    }

    /// The answer, citation markers that name no source removed.
    public var text: String
    public var mode: Mode
    /// Valid source numbers cited, in order of first appearance.
    public var citedSources: [Int]
    /// Every sentence that states something cites a valid source (``GroundingCheck``). For an interrupted
    /// answer, judged on the model's text without the note appended to it.
    public var grounded: Bool
    /// The sentences that state something without a valid `[n]` marker; empty when `grounded`, except for an
    /// answer with no sentence or no citation at all.
    public var unsupportedSentences: [String]
    public var timings: AnswerTimings
    /// Why the model's answer is missing or incomplete; nil for a complete generated answer.
    ///
    /// With `mode == .extractive`, why no model answered (``FallbackReason/notConfigured``,
    /// ``FallbackReason/noSources``, or the code of the error that stopped the model before it wrote anything).
    /// With `mode == .generated`, the model failed after part of its answer had been streamed: `text` is that
    /// part followed by ``Answerer/interruptionNote`` (see ``isInterrupted``).
    public var fallbackReason: FallbackReason?
    /// Tokens the model reported, when it did.
    public var usage: ChatUsage?

    public init(
        text: String, mode: Mode, citedSources: [Int], grounded: Bool, timings: AnswerTimings,
        fallbackReason: FallbackReason? = nil, usage: ChatUsage? = nil, unsupportedSentences: [String] = []
    ) {
        self.unsupportedSentences = unsupportedSentences
        self.text = text
        self.mode = mode
        self.citedSources = citedSources
        self.grounded = grounded
        self.timings = timings
        self.fallbackReason = fallbackReason
        self.usage = usage
    }

    /// The model's streamed answer broke off and ends with a note saying so.
    public var isInterrupted: Bool { mode == .generated && fallbackReason != nil }
}

/// How long answering took. Retrieval is timed by the caller.
public struct AnswerTimings: Sendable, Hashable, Codable {
    /// From the call to the finished answer, retries and fallback included.
    public var generationMilliseconds: Double
    /// From the call to the first streamed delta of the model's text; nil when not streamed or not generated.
    public var firstTokenMilliseconds: Double?

    public init(generationMilliseconds: Double, firstTokenMilliseconds: Double? = nil) {
        self.generationMilliseconds = generationMilliseconds
        self.firstTokenMilliseconds = firstTokenMilliseconds
    }
}

/// Why an answer is not (wholly) the model's, as a stable code.
public struct FallbackReason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The code of the error that stopped the model (`llm_timeout`, `llm_rate_limited`, ...).
    public init(_ code: AnsweringError.Code) { self.rawValue = code.rawValue }
    public var description: String { rawValue }

    /// No chat client was configured (no key and no base URL).
    public static let notConfigured = FallbackReason(rawValue: "llm_not_configured")
    /// There were no passages to answer from.
    public static let noSources = FallbackReason(rawValue: "no_sources")
}

/// One event of a streamed answer. Citations are sent by the server before the stream, so they are not here.
public enum AnswerEvent: Sendable, Hashable {
    /// The next piece of the answer text; the pieces joined are the text of the final answer. (The one
    /// exception, a citation marker over 64 characters naming no source, is removed from the final text
    /// only; the `done` answer's text is authoritative.)
    case delta(String)
    /// The answer is complete; always the last event.
    case done(Answer)
}
