import Foundation
import Synchronization

/// Decides which login attempts may run the password hash (ARCHITECTURE.md section 11; docs in README "Security").
///
/// Failures are counted per (account, client address), so an attacker elsewhere cannot lock the owner out:
/// `pairLimit` failures in `window` from one address, then that address waits a back-off that doubles with
/// each further failure (`baseBackoff` up to `window`). A ceiling per account over all addresses
/// (`accountLimit`, far above a human's rate) stops a distributed guess. An attempt is *reserved* before the
/// hash runs and settled after it, so concurrent attempts cannot all pass a check made before any of them
/// failed.
final class LoginThrottle: Sendable {
    struct Policy: Sendable {
        var pairLimit = 5
        var accountLimit = 100
        var window = 15.0 * 60
        var baseBackoff = 30.0
    }

    /// A reserved attempt: settle it with ``succeeded(_:)``, ``failed(_:)`` or ``abandoned(_:)``.
    struct Ticket: Sendable {
        fileprivate let pair: String
        fileprivate let account: String
    }

    private struct Pair {
        var failures = 0
        var lastFailure = -Double.infinity
        var inFlight = 0
        var blockedUntil = -Double.infinity
    }

    private struct Account {
        var failures: [Double] = []
        var inFlight = 0
    }

    private struct State {
        var pairs: [String: Pair] = [:]
        var accounts: [String: Account] = [:]
    }

    let policy: Policy
    private let state = Mutex(State())
    private let clock: @Sendable () -> Double
    /// Entries kept before idle ones are swept, bounding memory whatever the number of names tried.
    private static let sweepThreshold = 100_000

    init(policy: Policy = Policy(), clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        self.policy = policy
        self.clock = clock
    }

    /// Reserves an attempt for `account` (already normalised) from `address`; `.failure(seconds)` says how
    /// long to wait instead.
    func reserve(account accountKey: String, address: String) -> Result<Ticket, RetryAfter> {
        let now = clock()
        let pairKey = address + "\u{0}" + accountKey
        return state.withLock { state in
            var pair = state.pairs[pairKey] ?? Pair()
            if now - pair.lastFailure > policy.window { pair.failures = 0 }
            if now < pair.blockedUntil { return .failure(RetryAfter(seconds: pair.blockedUntil - now)) }
            // Under the limit, as many at once as failures are left; at it, one at a time after each back-off.
            let atLimit = pair.failures >= policy.pairLimit
            if atLimit ? pair.inFlight > 0 : pair.failures + pair.inFlight >= policy.pairLimit {
                return .failure(RetryAfter(seconds: policy.baseBackoff))
            }
            var account = state.accounts[accountKey] ?? Account()
            account.failures.removeAll { now - $0 >= policy.window }
            if account.failures.count + account.inFlight >= policy.accountLimit {
                let oldest = account.failures.first ?? now
                return .failure(RetryAfter(seconds: max(1, oldest + policy.window - now)))
            }
            pair.inFlight += 1
            account.inFlight += 1
            state.pairs[pairKey] = pair
            state.accounts[accountKey] = account
            if state.pairs.count + state.accounts.count > Self.sweepThreshold { sweep(&state, now: now) }
            return .success(Ticket(pair: pairKey, account: accountKey))
        }
    }

    /// The password matched: the pair's failures are forgiven.
    func succeeded(_ ticket: Ticket) {
        state.withLock { state in
            state.pairs[ticket.pair] = nil
            state.accounts[ticket.account]?.inFlight -= 1
        }
    }

    /// The password did not match (or the account does not exist).
    func failed(_ ticket: Ticket) {
        let now = clock()
        state.withLock { state in
            var pair = state.pairs[ticket.pair] ?? Pair()
            pair.inFlight = max(0, pair.inFlight - 1)
            pair.failures += 1
            pair.lastFailure = now
            if pair.failures >= policy.pairLimit {
                let doublings = Double(min(pair.failures - policy.pairLimit, 16))
                pair.blockedUntil = now + min(policy.window, policy.baseBackoff * pow(2, doublings))
            }
            state.pairs[ticket.pair] = pair
            var account = state.accounts[ticket.account] ?? Account()
            account.inFlight = max(0, account.inFlight - 1)
            account.failures.append(now)
            // Only the newest `accountLimit` failures matter for the decision.
            if account.failures.count > policy.accountLimit { account.failures.removeFirst() }
            state.accounts[ticket.account] = account
        }
    }

    /// The attempt never reached the hash (the hashing pool was full): it counts neither way.
    func abandoned(_ ticket: Ticket) {
        state.withLock { state in
            state.pairs[ticket.pair]?.inFlight -= 1
            state.accounts[ticket.account]?.inFlight -= 1
        }
    }

    private func sweep(_ state: inout State, now: Double) {
        state.pairs = state.pairs.filter { $0.value.inFlight > 0 || now - $0.value.lastFailure < policy.window }
        state.accounts = state.accounts.filter {
            $0.value.inFlight > 0 || ($0.value.failures.last.map { now - $0 < policy.window } ?? false)
        }
    }
}

/// Seconds a refused client should wait (the `Retry-After` of a 429).
struct RetryAfter: Error, Sendable {
    var seconds: Double
}
