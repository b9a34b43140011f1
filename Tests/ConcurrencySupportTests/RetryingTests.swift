import ConcurrencySupport
import Foundation
import Testing

/// The one retry loop of the chat and Qdrant clients (`retrying`), its backoff and `Retry-After` parsing.
@Suite struct RetryingTests {
    struct Failed: Error, Equatable {
        var message: String
    }

    /// The deadline defaults to a day: only `noWaitOrAWaitPastTheDeadlineEndsTheLoop` tests it, and a test process
    /// loaded by the whole suite was seen resuming a 1 ms sleep 50 s later.
    static func run(
        attempts: Int, deadline: Duration = .seconds(86_400), retryable: Bool = true, succeedOn: Int? = nil,
        wait: @escaping (Int, Duration?) -> Duration? = { _, _ in .milliseconds(1) }
    ) async -> (Result<Int, Failed>, Int) {
        var made = 0
        let result: Result<Int, Failed>
        do {
            let value = try await retrying(
                attempts: attempts, deadline: ContinuousClock().now + deadline, wait: wait,
                final: { error, made in Failed(message: error.message + " after \(made)") },
                cancelled: { _ in Failed(message: "cancelled") },
                attempt: { (number: Int) async throws(AttemptFailure<Failed>) -> Int in
                    made = number
                    if number == succeedOn { return number * 10 }
                    throw AttemptFailure(error: Failed(message: "attempt \(number) failed"), retryable: retryable)
                })
            result = .success(value)
        } catch {
            result = .failure(error)
        }
        return (result, made)
    }

    @Test func retriesUntilAnAttemptSucceeds() async {
        let (result, made) = await Self.run(attempts: 5, succeedOn: 3)
        #expect(result == .success(30))
        #expect(made == 3)
    }

    @Test func theLastFailureIsReportedWithTheAttemptsMade() async {
        let (result, made) = await Self.run(attempts: 3)
        #expect(result == .failure(Failed(message: "attempt 3 failed after 3")))
        #expect(made == 3)
    }

    @Test func aFinalFailureIsNotRetried() async {
        let (result, made) = await Self.run(attempts: 5, retryable: false)
        #expect(result == .failure(Failed(message: "attempt 1 failed after 1")))
        #expect(made == 1)
    }

    @Test func noWaitOrAWaitPastTheDeadlineEndsTheLoop() async {
        let (refused, refusedMade) = await Self.run(attempts: 5, wait: { _, _ in nil })
        #expect(refused == .failure(Failed(message: "attempt 1 failed after 1")))
        #expect(refusedMade == 1)
        let (late, lateMade) = await Self.run(attempts: 5, deadline: .seconds(1), wait: { _, _ in .seconds(2) })
        #expect(late == .failure(Failed(message: "attempt 1 failed after 1")))
        #expect(lateMade == 1)
    }

    @Test func backoffDoublesWithItsUpperHalfJitteredAndCapped() {
        let backoff = Backoff(base: .milliseconds(100), maximum: .seconds(1))
        #expect(backoff.delay(beforeRetry: 1, jitter: 0) == .milliseconds(50))
        #expect(backoff.delay(beforeRetry: 1, jitter: 1) == .milliseconds(100))
        #expect(backoff.delay(beforeRetry: 3, jitter: 1) == .milliseconds(400))
        #expect(backoff.delay(beforeRetry: 3, jitter: 0.5) == .milliseconds(300))
        #expect(backoff.delay(beforeRetry: 30, jitter: 1) == .seconds(1))
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(retryAfterDuration("120") == .seconds(120))
        #expect(retryAfterDuration("1.5") == .milliseconds(1500))
        #expect(retryAfterDuration("-3") == .zero)
        #expect(retryAfterDuration("Sun, 06 Nov 1994 08:49:47 GMT", now: now) == .seconds(10))
        #expect(retryAfterDuration("Sunday, 06-Nov-94 08:49:47 GMT", now: now) == .seconds(10))
        #expect(retryAfterDuration("Sun Nov  6 08:49:47 1994", now: now) == .seconds(10))
        #expect(retryAfterDuration("Sun, 06 Nov 1994 08:49:27 GMT", now: now) == .zero)
        #expect(retryAfterDuration("later") == nil)
        #expect(retryAfterDuration("1e9") == .seconds(86_400))
    }
}
