/// A failure of the Qdrant REST client, with a stable machine-readable ``code``.
///
/// Messages name the operation and the HTTP status, never the API key or the URL's credentials. For 400/404/409
/// answers ``detail`` carries Qdrant's own `status.error` text (cut short, the key scrubbed out): it says what
/// was wrong with the request ("Vector dimension error ...") and holds no secret of ours. The plain-text bodies
/// of 401/403 answers are never kept.
public struct QdrantError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier for a kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code as a stable string, e.g. `qdrant_unavailable`.
        public let rawValue: String
        /// A code from its string.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The raw value.
        public var description: String { rawValue }

        /// The URL, collection name or API key cannot be used.
        public static let invalidConfiguration = Code(rawValue: "qdrant_invalid_configuration")
        /// HTTP 401 or 403: the API key is missing, wrong or lacks the right.
        public static let unauthorized = Code(rawValue: "qdrant_unauthorized")
        /// HTTP 404: the collection (or point) does not exist.
        public static let notFound = Code(rawValue: "qdrant_not_found")
        /// HTTP 400, 409 or 422: Qdrant refused the request as malformed or conflicting.
        public static let badRequest = Code(rawValue: "qdrant_bad_request")
        /// HTTP 429 after every retry.
        public static let rateLimited = Code(rawValue: "qdrant_rate_limited")
        /// HTTP 5xx or a connection failure after every retry.
        public static let unavailable = Code(rawValue: "qdrant_unavailable")
        /// No answer within the per-request timeout or the total deadline.
        public static let timeout = Code(rawValue: "qdrant_timeout")
        /// A 2xx answer that is not the JSON envelope expected.
        public static let badResponse = Code(rawValue: "qdrant_bad_response")
        /// The collection exists with another vector size or distance than the model needs.
        public static let collectionMismatch = Code(rawValue: "qdrant_collection_mismatch")
        /// The calling task was cancelled.
        public static let cancelled = Code(rawValue: "qdrant_cancelled")
    }

    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation, safe to log.
    public let message: String
    /// The HTTP status of the last answer, if one came.
    public let httpStatus: Int?
    /// Qdrant's `status.error` text for refused requests, cut to ``maximumDetailLength`` characters.
    public let detail: String?
    /// Requests made, retries included.
    public let attempts: Int

    /// Longest ``detail`` kept.
    public static let maximumDetailLength = 300

    /// An error of kind `code`.
    public init(_ code: Code, _ message: String, httpStatus: Int? = nil, detail: String? = nil, attempts: Int = 1) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.detail = detail.map { String($0.prefix(Self.maximumDetailLength)) }
        self.attempts = attempts
    }

    /// Whether a later attempt may succeed with the same request (rate limits, outages, timeouts).
    public var isTransient: Bool {
        code == .rateLimited || code == .unavailable || code == .timeout
    }

    /// `code: message (detail)`.
    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let detail { text += " (\(detail))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        return text
    }

    /// The same error with the number of attempts made.
    func with(attempts: Int) -> QdrantError {
        QdrantError(code, message, httpStatus: httpStatus, detail: detail, attempts: attempts)
    }
}
