import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import APIServer

/// The login limits over real HTTP: the loopback peer is a trusted proxy by default, so `X-Forwarded-For`
/// names the client each request comes from.
@Suite(.serialized) struct LoginLimitTests {
    static let forwardedFor = ClientAddressMiddleware.forwardedFor
    /// The suite's own hashing threads: on the process's shared pool the other suites' 600,000-round hashes,
    /// run at nice 10 on a loaded 2-core machine, queued ahead of these logins past the client's timeout.
    static let passwords = PasswordWork(pool: HashingPool(workers: 1), hasher: PasswordHasher(iterations: 1_000))

    static func login(
        _ client: some TestClientProtocol, _ username: String, _ password: String, from address: String
    ) async throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: ["username": username, "password": password])
        return try await client.execute(
            uri: "/api/auth/login", method: .post, headers: [.contentType: "application/json", forwardedFor: address],
            body: ByteBuffer(bytes: body))
    }

    @Test func concurrentWrongLoginsCheckAtMostTheLimit() async throws {
        let library = try await TestLibrary.shared()
        try await library.application(passwords: Self.passwords).test(.live) { client in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<30 {
                    group.addTask {
                        try await Self.login(client, "admin-test", "wrong guess", from: "198.51.100.1").status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            // The attempt is reserved before the hash runs: at most the limit of them reach it.
            #expect(statuses.filter { $0 == 401 }.count <= 5, "\(statuses)")
            #expect(statuses.filter { $0 == 401 }.count >= 1)
            #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 }, "\(statuses)")
        }
    }

    @Test func theOwnerStillLogsInFromTheirAddressDuringAnAttack() async throws {
        let library = try await TestLibrary.shared()
        try await library.application(passwords: Self.passwords).test(.live) { client in
            var statuses: [Int] = []
            for _ in 0..<8 {
                statuses.append(
                    try await Self.login(client, "admin-test", "wrong guess", from: "203.0.113.9").status.code)
            }
            #expect(statuses == [401, 401, 401, 401, 401, 429, 429, 429])
            // The attacker's address waits, even with the right password ...
            let attacker = try await Self.login(client, "admin-test", TestLibrary.password, from: "203.0.113.9")
            #expect(attacker.status == .tooManyRequests && Int(attacker.headers[.retryAfter] ?? "") ?? 0 > 0)
            // ... and the owner, elsewhere, is not locked out.
            let owner = try await Self.login(client, "ADMIN-test", TestLibrary.password, from: "192.0.2.10")
            #expect(owner.status == .ok)
            #expect(owner.headers[.cacheControl] == "no-store")
        }
    }

    @Test func loginRequestsAreLimitedPerAddress() async throws {
        let library = try await TestLibrary.shared()
        // Two a minute refill one every 30 s, so the two counted requests must be quick on a loaded machine:
        // an empty username is refused (422) before any hash runs, and still counts, as every request does.
        let configuration = try TestLibrary.configuration(["LOGIN_RATE_LIMIT_PER_MINUTE": "2"])
        try await library.application(configuration, passwords: Self.passwords).test(.live) { client in
            for _ in 0..<2 {
                let response = try await Self.login(client, "", "whatever", from: "198.51.100.77")
                #expect(response.status == .unprocessableContent)
            }
            let limited = try await Self.login(client, "viewer-test", TestLibrary.password, from: "198.51.100.77")
            #expect(limited.status == .tooManyRequests && limited.detail.contains("login requests"))
            let other = try await Self.login(client, "viewer-test", TestLibrary.password, from: "198.51.100.78")
            #expect(other.status == .ok)
        }
    }

    @Test func theThrottleBacksOffAndForgets() {
        let clock = ManualClock()
        let throttle = LoginThrottle(
            policy: LoginThrottle.Policy(pairLimit: 2, accountLimit: 5, window: 600, baseBackoff: 10),
            clock: { clock.now })
        func attempt(_ address: String, fails: Bool = true) -> Bool {
            switch throttle.reserve(account: "root", address: address) {
            case .success(let ticket):
                if fails { throttle.failed(ticket) } else { throttle.succeeded(ticket) }
                return true
            case .failure: return false
            }
        }
        #expect(attempt("a") && attempt("a"))
        #expect(!attempt("a"))  // blocked 10 s
        clock.advance(11)
        #expect(attempt("a"))  // one more try, then 20 s
        clock.advance(11)
        #expect(!attempt("a"))
        clock.advance(10)
        #expect(attempt("a"))
        // Account ceiling: 5 failures over all addresses (4 from "a" so far), whatever the address.
        #expect(attempt("b"))
        #expect(!attempt("c", fails: false))
        // The window forgets.
        clock.advance(700)
        #expect(attempt("d", fails: false) && attempt("a"))
    }

    @Test func reservationsCountBeforeTheOutcome() {
        let throttle = LoginThrottle(policy: LoginThrottle.Policy(pairLimit: 3))
        var tickets: [LoginThrottle.Ticket] = []
        for _ in 0..<10 {
            if case .success(let ticket) = throttle.reserve(account: "x", address: "1") { tickets.append(ticket) }
        }
        #expect(tickets.count == 3)
        for ticket in tickets { throttle.abandoned(ticket) }
        if case .failure = throttle.reserve(account: "x", address: "1") { Issue.record("abandoned attempts counted") }
    }

    /// The test waits for the first hash without blocking a thread of the cooperative pool: that pool has one
    /// thread per core, and a blocked one waiting for work that needs the pool stalled the whole parallel run
    /// on a 2-core machine while a long synchronous test held the other.
    @Test func aFullHashingPoolRefusesAtOnce() async throws {
        let pool = HashingPool(workers: 1, capacity: 1)
        let release = DispatchSemaphore(value: 0)
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let first = Task {
            await pool.run {
                startedContinuation.yield()
                // Blocks the pool's own thread, never one of the cooperative pool.
                release.wait()
                return 1
            }
        }
        for await _ in started { break }
        let second = await pool.run { 2 }
        #expect(second == nil)
        release.signal()
        #expect(await first.value == 1)
        #expect(await pool.run { 3 } == 3)
    }
}
