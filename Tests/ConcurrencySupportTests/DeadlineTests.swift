import ConcurrencySupport
import Synchronization
import Testing

@Suite struct DeadlineTests {
    @Test func workWithinTheLimitReturnsItsValue() async throws {
        #expect(try await withDeadline(.seconds(5)) { 42 } == 42)
    }

    @Test func workPastTheLimitIsCancelledAndReportedAsSuch() async throws {
        let cancelled = Atomic(false)
        await #expect(throws: DeadlineExceeded(limit: .milliseconds(100))) {
            try await withDeadline(.milliseconds(100)) {
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch is CancellationError {
                    cancelled.store(true, ordering: .releasing)
                    throw CancellationError()
                }
                return 1
            }
        }
        // withDeadline returns only once the work has ended: the work saw its cancellation, so the hour-long sleep
        // did not run out (no wall-clock bound here: a loaded test machine may stall any task for a minute).
        let sawCancellation = cancelled.load(ordering: .acquiring)
        #expect(sawCancellation)
    }

    @Test func theWorksOwnErrorPassesThrough() async throws {
        struct Failure: Error, Equatable {}
        await #expect(throws: Failure()) {
            try await withDeadline(.seconds(5)) { () async throws -> Int in throw Failure() }
        }
    }
}
