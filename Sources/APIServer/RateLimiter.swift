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
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private static let start = ContinuousClock.now
}

/// Failed logins per key (an account or a client address) in a sliding window: once `limit` failures fall
/// inside the window, further attempts are refused until the oldest one leaves it.
final class FailureWindow: Sendable {
    let limit: Int
    let window: Double
    private let failures = Mutex<[String: [Double]]>([:])
    private let clock: @Sendable () -> Double

    init(limit: Int, window: Double, clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Seconds until `key` may try again, or nil when it may now.
    func blocked(_ key: String) -> Double? {
        let now = clock()
        return failures.withLock { table in
            let recent = (table[key] ?? []).filter { now - $0 < window }
            table[key] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return oldest + window - now
        }
    }

    func recordFailure(_ key: String) {
        let now = clock()
        failures.withLock { table in
            var recent = (table[key] ?? []).filter { now - $0 < window }
            recent.append(now)
            // Only the newest `limit` matter for the decision; keeping more would let one client grow memory.
            table[key] = Array(recent.suffix(limit))
            if table.count > 100_000 {
                table = table.filter { now - ($0.value.last ?? 0) < window }
            }
        }
    }

    func reset(_ key: String) {
        _ = failures.withLock { $0.removeValue(forKey: key) }
    }
}
