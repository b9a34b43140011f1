import ArgumentParser
import ConcurrencySupport
import Foundation
import Store

struct Database: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Metadata database maintenance.", subcommands: [Migrate.self, Copy.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or upgrade the metadata database's schema (idempotent).",
            discussion: """
                The database is $DATABASE_URL (sqlite:///path or postgresql://...), else aigov.sqlite in the data \
                directory. Replicas may migrate one PostgreSQL database at once: they take turns.
                """)

        @OptionGroup var data: DataOptions

        @Flag(help: "Print a JSON summary on stdout.")
        var json = false

        func run() async throws {
            do {
                let location = try DatabaseLocation(
                    databaseURL: ProcessInfo.processInfo.environment["DATABASE_URL"],
                    dataDirectory: data.dataDirectory)
                let store = try await openMetadataStore(location, migrate: false)
                let result: Result<MigrationReport, any Error>
                do {
                    result = .success(try await store.migrate())
                } catch {
                    result = .failure(error)
                }
                await closeMetadataStore(store)
                let report = try result.get()
                var summary: [String: Any] = [
                    "applied": report.applied, "versions": report.versions, "current": report.current,
                ]
                let name: String
                switch location {
                case .sqlite(let path):
                    summary["engine"] = "sqlite"
                    summary["path"] = path
                    name = path
                case .postgres(let url):
                    let settings = try PostgresSettings(url: url)
                    summary["engine"] = "postgresql"
                    summary["database"] = settings.description
                    name = settings.description
                }
                if json {
                    try printJSON(summary)
                } else {
                    let applied =
                        report.applied.isEmpty ? "none" : report.applied.map(String.init).joined(separator: ", ")
                    printError("\(name): schema version \(report.current) (applied now: \(applied))")
                }
            } catch let error as StoreError {
                throw CLIError(error.description)
            }
        }
    }

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every row from one metadata database to another (e.g. SQLite to PostgreSQL).",
            discussion: """
                Copies documents, chunks, users (with password hashes), origins, jobs and pending Qdrant outbox \
                entries, keeping ids and timestamps, in batches of --batch-size rows, one transaction per batch. \
                Both schemas are migrated first. The target must be empty unless --force, which deletes its rows \
                first. The vector index is not copied: `aigov serve` over the target rebuilds or mirrors it. \
                Progress goes to stderr, counts to stdout.
                """)

        @Option(help: "Source database URL (sqlite:///path or postgresql://...).")
        var from: String

        @Option(help: "Target database URL (sqlite:///path or postgresql://...).")
        var to: String

        @Flag(help: "Delete every row of a non-empty target before copying.")
        var force = false

        @Option(help: "Rows per batch and transaction.")
        var batchSize = 500

        @Flag(help: "Print a JSON summary on stdout.")
        var json = false

        func validate() throws {
            guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        }

        func run() async throws {
            let started = ContinuousClock.now
            do {
                // Both must be explicit URLs: an empty one would silently mean the default data directory.
                guard !from.trimmingCharacters(in: .whitespaces).isEmpty,
                    !to.trimmingCharacters(in: .whitespaces).isEmpty
                else { throw CLIError("--from and --to need database URLs") }
                let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                let sourceLocation = try DatabaseLocation(databaseURL: from, dataDirectory: here)
                let targetLocation = try DatabaseLocation(databaseURL: to, dataDirectory: here)
                guard sourceLocation != targetLocation else { throw CLIError("--from and --to name the same database") }
                if case .sqlite(let path) = sourceLocation, !FileManager.default.fileExists(atPath: path) {
                    throw CLIError("the source database \(path) does not exist")
                }
                let source = try await openMetadataStore(sourceLocation)
                let target: any MetadataStore
                do {
                    target = try await openMetadataStore(targetLocation)
                } catch {
                    await closeMetadataStore(source)
                    throw error
                }
                let result: Result<StoreTableCounts, any Error>
                do {
                    let copied = try await StoreCopier(batchSize: batchSize).copy(
                        from: source, to: target, replace: force
                    ) { counts in
                        printError(
                            "copied \(counts.documents) documents, \(counts.chunks) chunks, \(counts.users) users, "
                                + "\(counts.origins) origins, \(counts.jobs) jobs, \(counts.outbox) outbox entries")
                    }
                    result = .success(copied)
                } catch {
                    result = .failure(error)
                }
                await closeMetadataStore(source)
                await closeMetadataStore(target)
                let copied = try result.get()
                let elapsed = ContinuousClock.now - started
                let seconds = elapsed.timeInterval
                if json {
                    try printJSON([
                        "documents": copied.documents, "chunks": copied.chunks, "users": copied.users,
                        "origins": copied.origins, "jobs": copied.jobs, "outbox": copied.outbox,
                        "seconds": (seconds * 1000).rounded() / 1000,
                    ])
                } else {
                    print(
                        "copied \(copied.documents) documents, \(copied.chunks) chunks, \(copied.users) users, "
                            + "\(copied.origins) origins, \(copied.jobs) jobs, \(copied.outbox) outbox entries "
                            + "in \(String(format: "%.1f", seconds)) s")
                }
            } catch let error as StoreError {
                throw CLIError(error.description)
            }
        }
    }
}
