import ConcurrencySupport
import Foundation

/// Where the Qdrant mirror and the `qdrant` retrieval backend find their collection (ARCHITECTURE.md sections 6 and 10:
/// `QDRANT_URL`, `QDRANT_API_KEY`, `QDRANT_COLLECTION`), and how patiently they talk to it.
///
/// `description` never shows the API key or URL credentials, so the value can be logged.
public struct QdrantConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The collection used when `QDRANT_COLLECTION` is unset.
    public static let defaultCollection = "aigov_chunks"

    /// Base URL of the REST API, e.g. `http://127.0.0.1:6333` (a path prefix is kept; a trailing `/` is not).
    public var url: String
    /// Sent as the `api-key` header when set.
    public var apiKey: String?
    /// Collection holding one point per chunk.
    public var collection: String
    /// Longest wait for one HTTP exchange.
    public var requestTimeout: Duration
    /// Retries of transient failures.
    public var retry: QdrantRetryPolicy

    /// A configuration; the defaults suit a Qdrant on the same network.
    public init(
        url: String, apiKey: String? = nil, collection: String = QdrantConfiguration.defaultCollection,
        requestTimeout: Duration = .seconds(10), retry: QdrantRetryPolicy = QdrantRetryPolicy()
    ) {
        self.url = url
        self.apiKey = apiKey
        self.collection = collection
        self.requestTimeout = requestTimeout
        self.retry = retry
    }

    /// The same collection with a budget fit for answering a search: at most 2 attempts within 3 s (and no
    /// longer per request than ``requestTimeout``). A user waits on a search, and the local index can answer
    /// at once when Qdrant does not, so a search gives up long before the mirror would.
    public var forSearch: QdrantConfiguration {
        var copy = self
        copy.requestTimeout = min(requestTimeout, .seconds(3))
        copy.retry = QdrantRetryPolicy(
            maxAttempts: 2, baseDelay: .milliseconds(50), maxDelay: .milliseconds(200), deadline: .seconds(3))
        return copy
    }

    /// `host:port` of the URL, for messages: no scheme, path or credentials.
    public var hostForMessages: String {
        guard let components = URLComponents(string: url), let host = components.host else { return "qdrant" }
        return components.port.map { "\(host):\($0)" } ?? host
    }

    public var description: String {
        "Qdrant at \(hostForMessages), collection \(collection), api key \(apiKey == nil ? "unset" : "set")"
    }
}

/// When the Qdrant client tries a failed request again: HTTP 429, 502, 503 and 504, connection failures and
/// timeouts (every request the client makes is idempotent: points have fixed ids). Other answers are final.
///
/// The backoff before retry `n` is `baseDelay * 2^(n-1)` with its upper half jittered, at most `maxDelay`; a
/// `Retry-After` header (seconds or an HTTP date) is a floor that may exceed `maxDelay`. No retry starts when its wait would end
/// past the operation's `deadline`.
public struct QdrantRetryPolicy: Sendable, Equatable {
    /// Requests per operation, the first included.
    public var maxAttempts: Int
    /// Backoff before the first retry.
    public var baseDelay: Duration
    /// Longest backoff the policy itself chooses.
    public var maxDelay: Duration
    /// Total time one operation (all its attempts and waits) may take.
    public var deadline: Duration

    /// 5 attempts, 0.2 s doubling to at most 5 s, 60 s in all.
    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5),
        deadline: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.deadline = deadline
    }

    /// A single attempt, no retry.
    public static let none = QdrantRetryPolicy(maxAttempts: 1)

    /// Whether an HTTP status is worth retrying.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || status == 502 || status == 503 || status == 504
    }

    /// The wait before retry number `retry` (1-based); `jitter` in `0...1`.
    public func delay(beforeRetry retry: Int, retryAfter: Duration?, jitter: Double) -> Duration {
        max(Backoff(base: baseDelay, maximum: maxDelay).delay(beforeRetry: retry, jitter: jitter), retryAfter ?? .zero)
    }

    /// The wait a `Retry-After` value asks for: delay-seconds (`"2"`, also `"0.5"`), which Qdrant sends, or an
    /// HTTP date, which a proxy in front of it may; nil for anything else.
    public static func retryAfter(_ value: String, now: Date = Date()) -> Duration? {
        retryAfterDuration(value, now: now)
    }
}
