import ConcurrencySupport
import Foundation
import PostgresNIO

/// One pusher of the Qdrant outbox at a time, across processes.
///
/// Two processes pushing at once (two `serve` replicas, or `serve` and `aigov sync`) could race: one reads a
/// chunk and upserts it slowly while the other pushes that chunk's later delete, leaving a point the store no
/// longer has. The lease rules that out. It is advisory and dies with its holder, so a crash never leaves it
/// taken: PostgreSQL's session advisory lock ends with the connection, SQLite's `FileLock` with the process.
extension PostgresStore {
    /// Key of the session advisory lock that makes one replica at a time push the outbox ("aigovo").
    static let outboxLeaseKey: Int64 = 0x6169_676F_766F

    public func withOutboxLease<T: Sendable>(_ body: () async throws -> T) async throws -> T? {
        try await read { connection in
            let rows = try await self.rows(
                "SELECT pg_try_advisory_lock(\(Self.outboxLeaseKey)) AS taken", on: connection)
            guard let row = rows.first, try PostgresRows.value(row, "taken", Bool.self) else { return nil }
            let result: T
            do {
                result = try await body()
            } catch {
                _ = try? await self.rows("SELECT pg_advisory_unlock(\(Self.outboxLeaseKey))", on: connection)
                throw error
            }
            _ = try await self.rows("SELECT pg_advisory_unlock(\(Self.outboxLeaseKey))", on: connection)
            return result
        }
    }
}

extension SQLiteStore {
    public func withOutboxLease<T: Sendable>(_ body: () async throws -> T) async throws -> T? {
        let lockPath = path + ".outbox-lock"
        let lock: FileLock
        do {
            lock = try FileLock(path: lockPath)
        } catch .held {
            return nil
        } catch {
            throw StoreError(.io, "cannot open \(lockPath)")
        }
        defer { lock.release() }
        return try await body()
    }
}
