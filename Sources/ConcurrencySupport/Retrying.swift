import Foundation

/// One failed attempt as ``retrying(attempts:deadline:wait:final:cancelled:attempt:)`` sees it: the error to report if
/// no retry follows, whether another attempt may succeed, and the wait the peer asked for (`Retry-After`).
public struct AttemptFailure<Failure: Error>: Error {
    public var error: Failure
    public var retryable: Bool
    public var retryAfter: Duration?

    public init(error: Failure, retryable: Bool, retryAfter: Duration? = nil) {
        self.error = error
        self.retryable = retryable
        self.retryAfter = retryAfter
    }
}

/// Exponential backoff whose upper half is jittered, so that clients failing together do not retry together.
public struct Backoff: Sendable, Hashable {
    /// The wait before the first retry, before jitter; doubled for each later one.
    public var base: Duration
    /// The longest wait the backoff itself chooses.
    public var maximum: Duration

    public init(base: Duration, maximum: Duration) {
        self.base = base
        self.maximum = maximum
    }

    /// The wait before retry number `retry` (1-based): `base * 2^(retry-1)`, its upper half scaled by `jitter`
    /// (in `0...1`), at most ``maximum``.
    public func delay(beforeRetry retry: Int, jitter: Double) -> Duration {
        let exponential = base * (1 << min(max(retry - 1, 0), 20))
        return min(exponential / 2 + (exponential / 2) * min(max(jitter, 0), 1), maximum)
    }
}

/// Runs `attempt` (numbered from 1) until it returns or its failure is final, for the chat client and the
/// Qdrant client alike: a failure is final when it is not retryable, when `attempts` are spent, when `wait`
/// gives no wait for the next retry, or when that wait would end past `deadline`. The error thrown is the last
/// failure's, passed through `final` with the number of attempts made; cancellation during a wait throws
/// `cancelled`.
public func retrying<Result, Failure: Error>(
    attempts: Int, deadline: ContinuousClock.Instant,
    wait: (_ retry: Int, _ retryAfter: Duration?) -> Duration?,
    final: (_ error: Failure, _ attempts: Int) -> Failure,
    cancelled: (_ attempts: Int) -> Failure,
    attempt: (_ number: Int) async throws(AttemptFailure<Failure>) -> Result
) async throws(Failure) -> Result {
    let clock = ContinuousClock()
    var number = 0
    while true {
        number += 1
        let failure: AttemptFailure<Failure>
        do {
            return try await attempt(number)
        } catch {
            failure = error
        }
        guard failure.retryable, number < attempts, let pause = wait(number, failure.retryAfter),
            clock.now + pause < deadline
        else { throw final(failure.error, number) }
        do {
            try await Task.sleep(for: pause)
        } catch {
            throw cancelled(number)
        }
    }
}

/// The wait an HTTP `Retry-After` (or `retry-after-ms`-style seconds) value asks for: delay-seconds (`"1"`, also
/// `"1.5"`) or an HTTP date measured from `now`, capped at a day. Nil for anything else; a past date gives zero.
public func retryAfterDuration(_ value: String, now: Date = Date()) -> Duration? {
    func duration(_ seconds: Double) -> Duration {
        seconds <= 0 ? .zero : .milliseconds(Int64((min(seconds, 86_400) * 1000).rounded(.up)))
    }
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    if let seconds = Double(trimmed), seconds.isFinite { return duration(seconds) }
    // asctime pads the day with a space ("Nov  6"); formatters want one.
    let date = trimmed.split(separator: " ").joined(separator: " ")
    for format in httpDateFormats {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = format
        if let parsed = formatter.date(from: date) { return duration(parsed.timeIntervalSince(now)) }
    }
    return nil
}

/// IMF-fixdate, then the obsolete RFC 850 and asctime forms that RFC 9110 still asks recipients to accept.
private let httpDateFormats = [
    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy",
]
