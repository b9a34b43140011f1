import Foundation
import Store
import Testing

/// Two stores over one database stand for two processes (two `serve` replicas, or `serve` and `aigov sync`).
@Suite struct OutboxLeaseTests {
    @Test(arguments: Engine.all) func oneHolderAtATimeAndReleasedAfterReturnOrThrow(engine: Engine) async throws {
        try await withTwoStores(engine) { first, second in
            let inner: Int?? = try await first.withOutboxLease {
                try await second.withOutboxLease { 1 }
            }
            #expect(inner == .some(nil), "the second holder ran while the first held the lease")
            #expect(try await second.withOutboxLease { 2 } == 2)

            await #expect(throws: StoreError.self) {
                _ = try await first.withOutboxLease { () async throws -> Int in throw StoreError(.busy, "failed push") }
            }
            #expect(try await second.withOutboxLease { 3 } == 3)
        }
    }
}

/// Two migrated stores of `engine` over the same SQLite file or PostgreSQL database.
func withTwoStores<T>(_ engine: Engine, _ body: (any MetadataStore, any MetadataStore) async throws -> T)
    async throws -> T
{
    switch engine {
    case .sqlite:
        return try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("aigov.sqlite").path
            return try await body(try await SQLiteStore.open(path: path), try await SQLiteStore.open(path: path))
        }
    case .postgres:
        return try await PostgresTestServer.withDatabase { url in
            let first = try await PostgresStore.open(url: url)
            let second = try await PostgresStore.open(url: url)
            defer {
                Task {
                    await first.close()
                    await second.close()
                }
            }
            return try await body(first, second)
        }
    }
}
