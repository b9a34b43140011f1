import ConcurrencySupport
import Synchronization
import Testing

/// The search gate: a bounded number inside, the rest admitted in arrival order, cancelled waiters gone.
@Suite struct AdmissionGateTests {
    final class Counter: Sendable {
        private let state = Mutex((inside: 0, most: 0, order: [Int]()))
        func enter() {
            state.withLock {
                $0.inside += 1
                $0.most = max($0.most, $0.inside)
            }
        }
        func leave() { state.withLock { $0.inside -= 1 } }
        func record(_ n: Int) { state.withLock { $0.order.append(n) } }
        var most: Int { state.withLock { $0.most } }
        var order: [Int] { state.withLock { $0.order } }
    }

    /// Waits (politely) until `condition` holds; false after about 10 s.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<2_000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }

    @Test func neverMoreThanTheLimitInside() async throws {
        let gate = AdmissionGate(limit: 3)
        let counter = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<60 {
                group.addTask {
                    try await gate.run {
                        counter.enter()
                        try await Task.sleep(for: .milliseconds(2))
                        counter.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(counter.most == 3)
        #expect(gate.waiting == 0)
    }

    @Test func waitersAreAdmittedInArrivalOrderAndACancelledOneLeaves() async throws {
        let gate = AdmissionGate(limit: 1)
        let counter = Counter()
        let release = AsyncStream.makeStream(of: Void.self)
        let (entered, signalEntered) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await gate.run {
                signalEntered.yield()
                for await _ in release.stream { break }
            }
        }
        // The holder must be inside before the first waiter starts: "nobody waiting" also holds before the
        // holder's task has run at all, and then waiter 0 walked in first (seen on a loaded machine).
        for await _ in entered { break }
        #expect(gate.waiting == 0)
        var waiters: [Task<Void, any Error>] = []
        for n in 0..<6 {
            waiters.append(Task { try await gate.run { counter.record(n) } })
            // Each waiter is queued before the next starts, so arrival order is known.
            #expect(await Self.eventually { gate.waiting == n + 1 })
        }
        waiters[2].cancel()
        await #expect(throws: CancellationError.self) { try await waiters[2].value }
        #expect(gate.waiting == 5)

        release.continuation.yield()
        try await holder.value
        for (n, waiter) in waiters.enumerated() where n != 2 { try await waiter.value }
        #expect(counter.order == [0, 1, 3, 4, 5])
        #expect(gate.waiting == 0)
        // The cancelled waiter took no place with it: the gate still admits.
        #expect(try await gate.run { 42 } == 42)
    }
}
