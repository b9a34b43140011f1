import Foundation
import GRDB

/// The embedded metadata store: one SQLite file (`aigov.sqlite` in the data directory by default) in WAL mode
/// with foreign keys on. A `DatabasePool` gives one writer and several readers that see committed snapshots,
/// so API reads never wait for an ingest commit.
public final class SQLiteStore: MetadataStore {
    /// How long a write waits for another process's lock before failing with `busy`.
    public static let busyTimeout: TimeInterval = 5

    let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating if needed, with its directory) the database at `path`. Does not migrate: call
    /// `migrate()`, or use `open(path:)`. A file that is not a SQLite database throws `corrupt`.
    public init(path: String) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.io, "cannot create the database directory \(directory.path)")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "aigov.store"
        do {
            // DatabasePool switches the file to WAL itself; that first statement is what fails on a non-database.
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.mapping(error)
        }
    }

    /// Opens the database at `path` and brings its schema up to date.
    public static func open(path: String) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        return store
    }

    @discardableResult
    public func migrate() async throws -> MigrationReport {
        try await write { db in
            try db.execute(sql: SQLiteMigration.bookkeeping)
            let recorded = try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations ORDER BY version")
            let known = SQLiteMigration.all.map(\.version)
            if let newest = recorded.last, let latest = known.last, newest > latest {
                throw StoreError(
                    .migrationFailed,
                    "the database has schema version \(newest), newer than this build's \(latest): upgrade aigov")
            }
            var applied: [Int] = []
            for migration in SQLiteMigration.all where !recorded.contains(migration.version) {
                do {
                    try db.execute(sql: migration.sql)
                    try db.execute(
                        sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        arguments: [migration.version, migration.name, Date()])
                } catch let error as DatabaseError {
                    // The whole migrate() runs in one transaction, so a failure here leaves the old schema.
                    let detail = error.message ?? "SQLite error \(error.resultCode.rawValue)"
                    throw StoreError(
                        .migrationFailed, "migration \(migration.version) (\(migration.name)) failed: \(detail)")
                }
                applied.append(migration.version)
            }
            return MigrationReport(applied: applied, versions: (recorded + applied).sorted())
        }
    }

    /// The connection settings as SQLite reports them, for `aigov db status`, health checks and tests.
    public func settings() async throws -> SQLiteSettings {
        let reader = try await read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false
            )
        }
        let writer = try await write { db in
            (
                try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false,
                try Int.fetchOne(db, sql: "PRAGMA busy_timeout") ?? 0
            )
        }
        return SQLiteSettings(
            journalMode: reader.0, readerForeignKeys: reader.1, writerForeignKeys: writer.0,
            busyTimeoutMilliseconds: writer.1)
    }

    // MARK: Access with error mapping

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError.mapping(error)
        }
    }

    /// Runs `body` in one write transaction: it commits when `body` returns and rolls back when it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError.mapping(error)
        }
    }
}

/// SQLite connection settings as read back from the database.
public struct SQLiteSettings: Sendable, Equatable {
    /// `wal` when readers and the writer can work at once.
    public var journalMode: String
    public var readerForeignKeys: Bool
    public var writerForeignKeys: Bool
    public var busyTimeoutMilliseconds: Int
}
