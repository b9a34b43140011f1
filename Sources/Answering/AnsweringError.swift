/// An error from the chat client or the answering pipeline, with a stable machine-readable ``code``.
///
/// Messages are log-safe by construction: they are written here from fixed phrases, the upstream's host, the
/// HTTP status and the attempt count, and never interpolate the API key, a request or response body, a header
/// value or the description of an underlying transport error (some of which quote header values).
public struct AnsweringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier for a kind of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        /// The code as a stable string, e.g. `llm_timeout`.
        public let rawValue: String
        /// A code from its string.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The raw value.
        public var description: String { rawValue }

        /// The chat configuration cannot be used (for example a base URL that is not http or https).
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// The upstream could not be reached, or kept answering 5xx, 408 or 409 until retries ran out.
        public static let llmUnavailable = Code(rawValue: "llm_unavailable")
        /// The upstream kept answering 429 until retries ran out, or asked to wait longer than allowed.
        public static let llmRateLimited = Code(rawValue: "llm_rate_limited")
        /// The upstream refused the credentials (401 or 403).
        public static let llmUnauthorized = Code(rawValue: "llm_unauthorized")
        /// The first-byte timeout or the total time budget ran out.
        public static let llmTimeout = Code(rawValue: "llm_timeout")
        /// The upstream answered 2xx with something that is not a chat completion (bad JSON, no choices, no
        /// text).
        public static let llmBadResponse = Code(rawValue: "llm_bad_response")
        /// The upstream rejected the request with another 4xx, or reported an error inside the stream.
        public static let llmUpstreamError = Code(rawValue: "llm_upstream_error")
        /// The stream broke off (connection lost, or ended without `[DONE]` or a finish reason).
        public static let llmStreamInterrupted = Code(rawValue: "llm_stream_interrupted")
        /// The calling task was cancelled.
        public static let cancelled = Code(rawValue: "cancelled")
    }

    /// What kind of failure this is.
    public let code: Code
    /// A log-safe explanation for people.
    public let message: String
    /// The upstream's HTTP status, when the failure is an HTTP error response.
    public let httpStatus: Int?

    /// An error of kind `code` explained by `message`. The message must not contain secrets or upstream
    /// bodies.
    public init(_ code: Code, _ message: String, httpStatus: Int? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
