import ArgumentParser
import Backup
import Foundation
import Knowledge
import Qdrant
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
                the embedding cache, the documents' original inputs and a manifest with every file's SHA-256. With \
                --to NAME.tar the same folder is written as one tar archive instead. A run that is killed leaves a \
                hidden .partial (or .staging) entry, removed by the next run, never a backup. --qdrant-snapshot also \
                asks Qdrant (QDRANT_URL) for a snapshot of the collection and keeps it in the backup as qdrant/<name>.
                """)

        @OptionGroup var data: DataOptions

        @Option(help: "The folder the backup is written into, or a file ending in .tar (default: ./backups).")
        var to = "backups"

        @Flag(help: "Also keep a snapshot of the Qdrant collection (QDRANT_URL, QDRANT_COLLECTION) in the backup.")
        var qdrantSnapshot = false

        @Option(help: "Keep this many backups in the folder, removing the oldest (default: keep all).")
        var keep: Int?

        @Flag(help: "Print one JSON object.")
        var json = false

        func validate() throws {
            if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
            if keep != nil, BackupArchive.isArchive(to) {
                throw ValidationError("--keep prunes a folder of backups; --to names one archive file")
            }
        }

        func run() async throws {
            let snapshotWriter = try qdrantSnapshot ? Self.snapshotWriter() : nil
            let store = try await openStore(data)
            let creator = BackupCreator(dataDirectory: data.dataDirectory, store: store)
            let folder = URL(fileURLWithPath: to)
            let started = ContinuousClock.now
            let (backup, manifest) = try await backupCall {
                if BackupArchive.isArchive(to) {
                    return (
                        folder, try await BackupArchive.create(folder, with: creator, qdrantSnapshot: snapshotWriter)
                    )
                }
                return try await creator.create(in: folder, qdrantSnapshot: snapshotWriter)
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
                    "removed": removed, "qdrant_snapshot": manifest.qdrantSnapshot?.path ?? NSNull(),
                ])
            } else {
                print(backup.path)
                printError(
                    "backup of \(manifest.counts.documents) documents, \(manifest.counts.chunks) chunks: "
                        + "\(manifest.files.count) files, \(bytes) bytes in \(String(format: "%.2f", seconds)) s"
                        + (manifest.originalsMissing > 0
                            ? "; \(manifest.originalsMissing) documents were ingested before originals were kept"
                            : "") + (removed.isEmpty ? "" : "; removed \(removed.joined(separator: ", "))")
                        + (manifest.qdrantSnapshot.map { "; Qdrant snapshot of \($0.collection) in \($0.path)" } ?? ""))
            }
        }

        /// Downloads a fresh snapshot of the configured collection into the backup, then removes it from
        /// Qdrant's disk (the backup is its one copy; a failed download removes it too).
        static func snapshotWriter() throws -> BackupCreator.QdrantSnapshotWriter {
            guard let qdrant = try searchSettings().qdrant else {
                throw CLIError("--qdrant-snapshot: QDRANT_URL is not set")
            }
            let client: QdrantClient
            do {
                client = try QdrantClient(configuration: qdrant)
            } catch {
                throw CLIError("configuration: \(error)")
            }
            return { backup in
                let collection = try await client.snapshotCollection()
                let snapshot = try await client.createSnapshot(of: collection)
                let name = snapshot.name.replacingOccurrences(of: "/", with: "_")
                let folder = backup.appendingPathComponent("qdrant")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                do {
                    try await client.downloadSnapshot(snapshot, of: collection, to: folder.appendingPathComponent(name))
                } catch {
                    try? await client.deleteSnapshot(snapshot, of: collection)
                    throw error
                }
                try await client.deleteSnapshot(snapshot, of: collection)
                return BackupManifest.QdrantSnapshotFile(collection: collection, path: "qdrant/\(name)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a backup: every file against its checksum, the database's integrity and counts.")

        @Argument(help: "The backup's folder or .tar file.") var path: String

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() async throws {
            let manifest = try await backupCall {
                try await BackupArchive.withBackup(at: URL(fileURLWithPath: path)) {
                    try await BackupVerifier.verify($0)
                }
            }
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

        @Argument(help: "The backup's folder or .tar file.") var path: String
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
                try await BackupArchive.withBackup(at: URL(fileURLWithPath: path)) {
                    try await BackupRestorer(dataDirectory: data.dataDirectory, location: location)
                        .restore($0, force: force)
                }
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
    } catch let error as QdrantError {
        throw CLIError("backup: Qdrant snapshot: \(error)")
    }
}
