import ArgumentParser
import Backup
import Foundation
import Knowledge
import Store

/// `aigov backup create|verify|restore` (issue 18; README, "Backups").
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Back up a data directory and its database; verify and restore backups.",
        subcommands: [Create.self, Verify.self, Restore.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one consistent backup while the server keeps running.",
            discussion: """
                The database is $DATABASE_URL (SQLite or PostgreSQL), else aigov.sqlite in the data directory. The \
                backup is a folder aigov-backup-<UTC time> inside --to: the database of one moment as a SQLite file, \
                the embedding cache, the documents' original inputs and a manifest with every file's SHA-256. A run \
                that is killed leaves a .partial folder (removed by the next run), never a backup.
                """)

        @OptionGroup var data: DataOptions

        @Option(help: "The folder the backup is written into (default: ./backups).")
        var to = "backups"

        @Option(help: "Keep this many backups in the folder, removing the oldest (default: keep all).")
        var keep: Int?

        @Flag(help: "Print one JSON object.")
        var json = false

        func validate() throws {
            if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
        }

        func run() async throws {
            let store = try await openStore(data)
            let folder = URL(fileURLWithPath: to)
            let started = ContinuousClock.now
            let (backup, manifest) = try await backupCall {
                try await BackupCreator(dataDirectory: data.dataDirectory, store: store).create(in: folder)
            }
            let seconds = (ContinuousClock.now - started).timeInterval
            var removed: [String] = []
            if let keep {
                let backups =
                    (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?
                    .filter { $0.hasPrefix(BackupCreator.prefix) }.sorted() ?? []
                for old in backups.dropLast(keep) {
                    try? FileManager.default.removeItem(at: folder.appendingPathComponent(old))
                    removed.append(old)
                }
            }
            let bytes = manifest.files.reduce(Int64(0)) { $0 + $1.bytes }
            if json {
                try printJSON([
                    "path": backup.path, "seconds": seconds, "bytes": bytes, "files": manifest.files.count,
                    "source_engine": manifest.sourceEngine, "documents": manifest.counts.documents,
                    "chunks": manifest.counts.chunks, "originals_missing": manifest.originalsMissing,
                    "removed": removed,
                ])
            } else {
                print(backup.path)
                printError(
                    "backup of \(manifest.counts.documents) documents, \(manifest.counts.chunks) chunks: "
                        + "\(manifest.files.count) files, \(bytes) bytes in \(String(format: "%.2f", seconds)) s"
                        + (manifest.originalsMissing > 0
                            ? "; \(manifest.originalsMissing) documents were ingested before originals were kept"
                            : "") + (removed.isEmpty ? "" : "; removed \(removed.joined(separator: ", "))"))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a backup: every file against its checksum, the database's integrity and counts.")

        @Argument(help: "The backup's folder.") var path: String

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() async throws {
            let manifest = try await backupCall { try await BackupVerifier.verify(URL(fileURLWithPath: path)) }
            if json {
                try printJSON([
                    "ok": true, "files": manifest.files.count, "documents": manifest.counts.documents,
                    "chunks": manifest.counts.chunks, "source_engine": manifest.sourceEngine,
                ])
            } else {
                printError("\(path): whole (\(manifest.files.count) files, \(manifest.counts.documents) documents)")
            }
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a backup into a data directory and its database (stop the server first).",
            discussion: """
                The target database is $DATABASE_URL, else aigov.sqlite in the data directory: a SQLite backup \
                restores into PostgreSQL and back. A target holding rows or an index is refused unless --force. \
                The index is rebuilt from the restored database and cache, then verified.
                """)

        @Argument(help: "The backup's folder.") var path: String
        @OptionGroup var data: DataOptions
        @OptionGroup var model: ModelOptions

        @Flag(help: "Replace what the target holds.")
        var force = false

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() async throws {
            let location: DatabaseLocation
            do {
                location = try DatabaseLocation(
                    databaseURL: ProcessInfo.processInfo.environment["DATABASE_URL"],
                    dataDirectory: data.dataDirectory)
            } catch let error as StoreError {
                throw CLIError(error.description)
            }
            let started = ContinuousClock.now
            try FileManager.default.createDirectory(at: data.dataDirectory, withIntermediateDirectories: true)
            let manifest = try await backupCall {
                try await BackupRestorer(dataDirectory: data.dataDirectory, location: location)
                    .restore(URL(fileURLWithPath: path), force: force)
            }
            // Opening rebuilds the index from the restored store (its vectors, else the cache).
            let base = try await openKnowledgeBase(data, model)
            let report = try await base.verify()
            let seconds = (ContinuousClock.now - started).timeInterval
            if json {
                try printJSON([
                    "ok": report.agrees, "seconds": seconds, "documents": report.storedDocuments,
                    "chunks": report.storedChunks, "index_records": report.index.liveRecords,
                    "source_engine": manifest.sourceEngine,
                ])
            } else {
                printError(
                    "restored \(report.storedDocuments) documents, \(report.storedChunks) chunks in "
                        + "\(String(format: "%.2f", seconds)) s; index "
                        + (report.agrees ? "verified" : "disagrees with the store"))
            }
            if !report.agrees { throw ExitCode(1) }
        }
    }
}

/// Runs a backup step, turning its errors into the CLI's one-line form.
func backupCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as BackupError {
        throw CLIError("backup: \(error)")
    } catch let error as StoreError {
        throw CLIError("backup: \(error)")
    }
}
