import ConcurrencySupport
import Foundation

/// When and how long the chat client waits before trying a failed request again.
///
/// Retried: HTTP 408, 409, 429 and 5xx, connection failures, and errors the upstream reports inside a stream
/// before any text was delivered. Never retried: other 4xx (the same request fails the same way), timeouts
/// (the budget is the user's wait, and a slow upstream tends to stay slow), and anything after the first
/// delta reached the caller (a retry would repeat text the caller already has).
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt (2 means at most 3 requests).
    public var maxRetries: Int
    /// The backoff before the first retry; doubled for each later one.
    public var baseDelay: Duration
    /// The longest wait before a retry. A `retry-after` asking for more is not waited for: the error is
    /// returned at once, since the caller would rather fall back now than wait that long.
    public var maxDelay: Duration

    /// The policy of ARCHITECTURE.md section 7: 2 retries, 0.5 s then 1 s (with jitter), waits of at most 10 s.
    public init(maxRetries: Int = 2, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(10)) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Never retry.
    public static let none = RetryPolicy(maxRetries: 0)

    /// Whether an HTTP status is worth retrying.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 409 || status == 429 || (500...599).contains(status)
    }

    /// The wait before retry number `retry` (1-based), or nil when the wait would exceed ``maxDelay``.
    ///
    /// The backoff is `baseDelay * 2^(retry-1)`, of which the upper half is jittered by `jitter` (in `0...1`)
    /// so that clients failing together do not retry together; a `retryAfter` from the upstream is a floor.
    public func delay(beforeRetry retry: Int, retryAfter: Duration?, jitter: Double) -> Duration? {
        if let retryAfter, retryAfter > maxDelay { return nil }
        let backoff = Backoff(base: baseDelay, maximum: maxDelay).delay(beforeRetry: retry, jitter: jitter)
        return max(backoff, retryAfter ?? .zero)
    }

    /// The wait a `retry-after` header value asks for: delay-seconds (`"1"`, also `"1.5"`) or an HTTP date,
    /// measured from `now`. Nil for values that are neither; a date in the past gives zero.
    public static func retryAfter(_ value: String, now: Date = Date()) -> Duration? {
        retryAfterDuration(value, now: now)
    }
}
