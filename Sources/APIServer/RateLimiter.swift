import ConcurrencySupport
import Foundation
import Synchronization

/// A token bucket per client: `capacity` requests at once, refilled at `capacity` per `period`. Buckets that
/// have refilled completely are forgotten, so memory stays bounded by the clients active in one period.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        var lastSweep = 0.0
    }

    let capacity: Double
    let period: Double
    private let state = Mutex(State())
    private let clock: @Sendable () -> Double

    /// A limiter of `capacity` requests per `period` seconds.
    init(capacity: Int, period: Double = 60, clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        self.capacity = Double(max(1, capacity))
        self.period = period
        self.clock = clock
    }

    /// Takes one token for `key`; returns nil when allowed, else the seconds until a token is free.
    func acquire(_ key: String) -> Double? {
        let now = clock()
        let rate = capacity / period
        return state.withLock { state in
            if now - state.lastSweep > period {
                state.buckets = state.buckets.filter {
                    min(capacity, $0.value.tokens + (now - $0.value.updated) * rate) < capacity
                }
                state.lastSweep = now
            }
            var bucket = state.buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                state.buckets[key] = bucket
                return nil
            }
            state.buckets[key] = bucket
            return (1 - bucket.tokens) / rate
        }
    }

    static func monotonicSeconds() -> Double {
        (ContinuousClock.now - start).timeInterval
    }

    private static let start = ContinuousClock.now
}
