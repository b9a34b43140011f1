import ConcurrencySupport
import Foundation
import Knowledge
import Store

/// `aigov backup create` (issue 18; docs/ARCHITECTURE.md, "Backups"): one consistent snapshot of a data
/// directory while `serve` goes on serving and ingesting.
///
/// What a backup holds: `store.sqlite`, the metadata database of one moment (SQLite: `VACUUM INTO`, vectors,
/// crawl history and settings included; PostgreSQL: a logical copy of every table the copy path knows, read in
/// one `REPEATABLE READ` transaction), `embeddings/` (the embedding cache: its records are checksummed, so a record
/// being appended while it is copied is cut off when read), `originals/` (the inputs the documents were
/// ingested from, those the snapshot refers to), and `manifest.json` with the size and SHA-256 of each. The index
/// is not copied: it is derived, and is rebuilt on restore from the database's vectors and the cache, which is
/// also what proves it equal to the store.
///
/// The backup is assembled in `.<name>.partial` next to its final place and renamed to `<name>` after the
/// manifest is written and every file flushed: a kill at any moment leaves a whole backup or a `.partial` folder,
/// which no command takes for a backup and the next `create` removes.
public struct BackupCreator: Sendable {
    public let dataDirectory: URL
    public let store: any MetadataStore

    public init(dataDirectory: URL, store: any MetadataStore) {
        self.dataDirectory = dataDirectory
        self.store = store
    }

    /// Folder names of backups: `aigov-backup-` and the UTC time to the millisecond.
    public static let prefix = "aigov-backup-"

    static func name(at date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return prefix + formatter.string(from: date)
    }

    /// Writes a snapshot of the Qdrant collection into the folder it is given (the backup being assembled) and
    /// says where; it runs after the database snapshot and before the manifest, so its file is checksummed too.
    public typealias QdrantSnapshotWriter = @Sendable (_ backup: URL) async throws -> BackupManifest.QdrantSnapshotFile

    /// Makes a backup inside `folder` and returns its path and manifest; removes stale `.partial` folders of
    /// earlier, interrupted runs first. One `create` at a time per folder (a lock file).
    public func create(
        in folder: URL, now: Date = Date(), qdrantSnapshot: QdrantSnapshotWriter? = nil
    ) async throws -> (URL, BackupManifest) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lock: FileLock
        do {
            lock = try FileLock(path: folder.appendingPathComponent(".aigov-backup.lock").path, mode: 0o600)
        } catch .held {
            throw BackupError(.busy, "another backup is being written into this folder")
        } catch {
            throw BackupError(.io, "cannot open the lock file .aigov-backup.lock")
        }
        defer { lock.release() }
        for stale in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        where stale.hasPrefix("." + Self.prefix) && stale.hasSuffix(".partial") {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(stale))
        }
        let name = Self.name(at: now)
        let final = folder.appendingPathComponent(name)
        let partial = folder.appendingPathComponent(".\(name).partial")
        guard !FileManager.default.fileExists(atPath: final.path) else {
            throw BackupError(.io, "\(name) exists already")
        }
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        do {
            let manifest = try await assemble(into: partial, now: now, qdrantSnapshot: qdrantSnapshot)
            guard rename(partial.path, final.path) == 0 else { throw BackupError(.io, "cannot rename \(name)") }
            FileChores.flushDirectory(folder)
            return (final, manifest)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    private func assemble(
        into partial: URL, now: Date, qdrantSnapshot: QdrantSnapshotWriter?
    ) async throws -> BackupManifest {
        let database = partial.appendingPathComponent(BackupManifest.databaseName)
        let engine: String
        switch store {
        case let sqlite as SQLiteStore:
            engine = "sqlite"
            try await sqlite.snapshot(to: database.path)
        case let postgres as PostgresStore:
            engine = "postgresql"
            let copy = try await SQLiteStore.open(path: database.path)
            try await postgres.withSnapshot {
                _ = try await StoreCopier().copy(from: postgres, to: copy, replace: false)
            }
            try copy.close()
            try FileChores.removeSidecars(of: database)
        default:
            throw BackupError(.io, "this store cannot be backed up")
        }
        // The snapshot decides what else belongs: its counts, and the originals its documents name.
        let snapshot = try await SQLiteStore.open(path: database.path)
        let counts = try await snapshot.tableCounts()
        let versions = try await snapshot.schemaVersions()
        var hashes: [String] = []
        var after: String?
        while true {
            let page = try await snapshot.exportDocuments(after: after, limit: 500)
            guard let last = page.last else { break }
            hashes += page.compactMap { $0.metadata[KnowledgeBase.fileHashKey] }
            after = last.id
        }
        try snapshot.close()
        try FileChores.removeSidecars(of: database)

        let originals = KnowledgeBase.originalsDirectory(in: dataDirectory)
        var missing = 0
        for hash in Set(hashes).sorted() {
            let source = originals.appendingPathComponent(hash)
            if FileManager.default.fileExists(atPath: source.path) {
                try FileDigest.copy(source, to: partial.appendingPathComponent("originals/\(hash)"))
            } else {
                missing += 1
            }
        }
        let embeddings = dataDirectory.appendingPathComponent("embeddings")
        let cacheFiles = FileDigest.files(under: embeddings).filter { !$0.hasPrefix(".") && !$0.contains("/.") }
        for file in cacheFiles {
            try FileDigest.copy(
                embeddings.appendingPathComponent(file), to: partial.appendingPathComponent("embeddings/\(file)"))
        }
        try FileDigest.flush(database)
        let snapshotFile = try await qdrantSnapshot?(partial)

        var files: [BackupManifest.File] = []
        for path in FileDigest.files(under: partial) {
            let (hex, bytes) = try FileDigest.sha256(of: partial.appendingPathComponent(path))
            files.append(BackupManifest.File(path: path, bytes: bytes, sha256: hex))
        }
        let manifest = BackupManifest(
            createdAt: now, sourceEngine: engine, schemaVersions: versions,
            modelFingerprints: cacheFiles.map { ($0 as NSString).lastPathComponent }, counts: .init(counts),
            originalsMissing: missing, qdrantSnapshot: snapshotFile, files: files)
        let manifestURL = partial.appendingPathComponent(BackupManifest.fileName)
        do {
            try BackupManifest.encoder.encode(manifest).write(to: manifestURL)
        } catch {
            throw BackupError(.io, "cannot write the manifest")
        }
        try FileDigest.flush(manifestURL)
        FileChores.flushDirectory(partial)
        return manifest
    }
}
