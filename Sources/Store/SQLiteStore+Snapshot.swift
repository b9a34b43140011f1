import Foundation
import GRDB

extension SQLiteStore {
    /// Writes a consistent copy of the whole database to a new file at `path` (`VACUUM INTO`): one read
    /// transaction's view, so writers go on meanwhile and the copy holds every committed row of one moment,
    /// vectors, crawl history and settings included. The file must not exist.
    public func snapshot(to path: String) async throws {
        do {
            try await pool.unsafeRead { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [path])
            }
        } catch {
            throw StoreError.mapping(error)
        }
    }

    /// `PRAGMA integrity_check`: nil when the database file is sound, else what SQLite found (first lines).
    public func integrityProblem() async throws -> String? {
        try await read { db in
            let lines = try String.fetchAll(db, sql: "PRAGMA integrity_check(20)")
            return lines == ["ok"] ? nil : lines.joined(separator: "; ")
        }
    }

    /// The migration versions recorded in the database.
    public func schemaVersions() async throws -> [Int] {
        try await read { db in try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations ORDER BY version") }
    }

    /// Closes the database (its last connection): SQLite folds the write-ahead log into the file and removes it,
    /// so the file alone is the database. The store must not be used afterwards.
    public func close() throws {
        do {
            // Folded in explicitly: closing alone leaves the log when a reader of the pool still had it mapped.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try pool.close()
        } catch {
            throw StoreError.mapping(error)
        }
    }
}
