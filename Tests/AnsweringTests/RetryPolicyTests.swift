import Answering
import Foundation
import Testing

@Suite struct RetryPolicyTests {
    @Test func retryableStatuses() {
        for status in [408, 409, 429, 500, 502, 503, 504, 599] { #expect(RetryPolicy.isRetryable(status: status)) }
        for status in [200, 400, 401, 403, 404, 413, 422, 600] { #expect(!RetryPolicy.isRetryable(status: status)) }
    }

    @Test func exponentialBackoffWithJitterInTheUpperHalf() {
        let policy = RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(400), maxDelay: .seconds(10))
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, jitter: 0) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, jitter: 1) == .milliseconds(400))
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, jitter: 0) == .milliseconds(400))
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, jitter: 1) == .milliseconds(800))
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, jitter: 0.5) == .milliseconds(600))
    }

    @Test func retryAfterIsAFloorAndTheCapIsNeverWaited() {
        let policy = RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(100), maxDelay: .seconds(5))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(2), jitter: 0.5) == .seconds(2))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .milliseconds(10), jitter: 1) == .milliseconds(100))
        #expect(
            policy.delay(beforeRetry: 1, retryAfter: .seconds(30), jitter: 0) == nil, "asks for longer than allowed")
        let slow = RetryPolicy(maxRetries: 9, baseDelay: .seconds(4), maxDelay: .seconds(5))
        #expect(slow.delay(beforeRetry: 5, retryAfter: nil, jitter: 1) == .seconds(5), "backoff is capped")
    }

    @Test func retryAfterSeconds() {
        #expect(RetryPolicy.retryAfter("1") == .seconds(1))
        #expect(RetryPolicy.retryAfter(" 120 ") == .seconds(120))
        #expect(RetryPolicy.retryAfter("1.5") == .milliseconds(1500))
        #expect(RetryPolicy.retryAfter("0") == .zero)
        #expect(RetryPolicy.retryAfter("-3") == .zero)
        #expect(RetryPolicy.retryAfter("soon") == nil)
        #expect(RetryPolicy.retryAfter("") == nil)
    }

    @Test func retryAfterHTTPDates() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:49:40 GMT", now: now) == .seconds(3))
        #expect(RetryPolicy.retryAfter("Sunday, 06-Nov-94 08:49:47 GMT", now: now) == .seconds(10))
        #expect(RetryPolicy.retryAfter("Sun Nov  6 08:49:39 1994", now: now) == .seconds(2))
        #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero, "in the past")
    }
}
