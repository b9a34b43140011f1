import Foundation
import Logging
import PostgresNIO

/// The metadata store on a PostgreSQL server (`DATABASE_URL=postgresql://...`), for several stateless
/// `aigov serve` replicas over one database. Same protocol, schema versions and semantics as `SQLiteStore`.
/// A `PostgresClient` pools the connections; its `run()` loop lives in a task this store owns, so open the store
/// with `connect(url:)`/`open(url:)` and end it with `close()`.
public final class PostgresStore: MetadataStore {
    let client: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>
    /// Where the store connects to; its description leaves the password out.
    public let settings: PostgresSettings

    private init(client: PostgresClient, runTask: Task<Void, Never>, settings: PostgresSettings, logger: Logger) {
        self.client = client
        self.runTask = runTask
        self.settings = settings
        self.logger = logger
    }

    deinit {
        // A store dropped without close() still stops its pool.
        runTask.cancel()
    }

    /// Connects to the server in `url` without migrating. One direct connection is made first, so a wrong host,
    /// password or database fails here (`connection_failed`, `authentication_failed`, `database_not_found`)
    /// instead of leaving later queries waiting on a pool that cannot connect.
    public static func connect(url: String) async throws -> PostgresStore {
        let settings = try PostgresSettings(url: url)
        let logger = Logger(label: "aigov.store.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        do {
            let probe = try await PostgresConnection.connect(
                configuration: try settings.connectionConfiguration(), id: 0, logger: logger)
            try? await probe.close()
        } catch {
            throw StoreError.postgresMapping(error, target: settings.target)
        }
        let client = PostgresClient(configuration: settings.clientConfiguration(), backgroundLogger: logger)
        let runTask = Task { await client.run() }
        return PostgresStore(client: client, runTask: runTask, settings: settings, logger: logger)
    }

    /// Connects and brings the schema up to date; closes the pool again when migrating fails.
    public static func open(url: String) async throws -> PostgresStore {
        let store = try await connect(url: url)
        do {
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Closes the pooled connections and ends the pool's run loop. The store is unusable afterwards.
    public func close() async {
        runTask.cancel()
        await runTask.value
    }

    @discardableResult
    public func migrate() async throws -> MigrationReport {
        try await transaction { connection in
            // Replicas starting together queue here; the second one finds the versions the first recorded.
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(PostgresMigration.advisoryLockKey))", logger: self.logger)
            try await connection.query(PostgresQuery(unsafeSQL: PostgresMigration.bookkeeping), logger: self.logger)
            let recorded = try await self.rows(
                "SELECT version FROM schema_migrations ORDER BY version", on: connection
            ).map { try PostgresRows.value($0, "version", Int.self) }
            let known = PostgresMigration.all.map(\.version)
            if let newest = recorded.last, let latest = known.last, newest > latest {
                throw StoreError(
                    .migrationFailed,
                    "the database has schema version \(newest), newer than this build's \(latest): upgrade aigov")
            }
            var applied: [Int] = []
            for migration in PostgresMigration.all where !recorded.contains(migration.version) {
                do {
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                    }
                    try await connection.query(
                        """
                        INSERT INTO schema_migrations (version, name, applied_at)
                        VALUES (\(migration.version), \(migration.name), \(PostgresRows.now()))
                        """, logger: self.logger)
                } catch {
                    // The whole migrate() is one transaction: a failure leaves the old schema.
                    let mapped = StoreError.postgresMapping(error, target: self.settings.target)
                    let detail = (mapped as? StoreError)?.message ?? "\(type(of: error))"
                    throw StoreError(
                        .migrationFailed, "migration \(migration.version) (\(migration.name)) failed: \(detail)")
                }
                applied.append(migration.version)
            }
            return MigrationReport(applied: applied, versions: (recorded + applied).sorted())
        }
    }

    // MARK: Access with error mapping

    /// The connection of a ``withSnapshot(_:)`` in progress in this task: reads run on it, in its transaction.
    @TaskLocal static var snapshotConnection: PostgresConnection?

    /// Runs `body` with every read of this store, in this task, on one connection in one `REPEATABLE READ READ
    /// ONLY` transaction: what `body` reads is the database of one moment, however long it takes and whatever
    /// other replicas commit meanwhile (a backup's copy). Writes inside `body` fail.
    public func withSnapshot<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                do {
                    let result = try await Self.$snapshotConnection.withValue(connection) { try await body() }
                    try await connection.query("COMMIT", logger: logger)
                    return result
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.postgresMapping(error, target: settings.target)
        }
    }

    /// Runs `body` on one pooled connection, outside a transaction (on the snapshot's, inside a snapshot).
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        if let pinned = Self.snapshotConnection { return try await body(pinned) }
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw StoreError.postgresMapping(error, target: settings.target)
        }
    }

    /// Runs `body` in one transaction: it commits when `body` returns and rolls back when it throws.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        // Inside a snapshot the snapshot's transaction is the one: reads see its moment, writes are refused.
        if let pinned = Self.snapshotConnection { return try await body(pinned) }
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw StoreError.postgresMapping(error, target: settings.target)
        }
    }

    /// Every row `query` returns, read to the end.
    func rows(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PostgresRandomAccessRow] {
        var result: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query, logger: logger) {
            result.append(row.makeRandomAccess())
        }
        return result
    }
}
