import ConcurrencySupport
import Testing

@Suite struct DeadlineTests {
    @Test func workWithinTheLimitReturnsItsValue() async throws {
        #expect(try await withDeadline(.seconds(5)) { 42 } == 42)
    }

    @Test func workPastTheLimitIsCancelledAndReportedAsSuch() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: DeadlineExceeded(limit: .milliseconds(100))) {
            try await withDeadline(.milliseconds(100)) {
                // Honours cancellation: ends as soon as the deadline cancels it, not after an hour.
                try await Task.sleep(for: .seconds(3600))
                return 1
            }
        }
        #expect(clock.now - started < .seconds(60))
    }

    @Test func theWorksOwnErrorPassesThrough() async throws {
        struct Failure: Error, Equatable {}
        await #expect(throws: Failure()) {
            try await withDeadline(.seconds(5)) { () async throws -> Int in throw Failure() }
        }
    }
}
