import Foundation
import Knowledge
import Store

/// `aigov backup restore`: a verified backup into a data directory and its store. Into SQLite the backup's
/// database file becomes the store (every table, vectors included); into PostgreSQL its rows go through the copy
/// path (`aigov db copy`). The embedding cache and the originals are copied into the data directory, and the
/// index is removed: the caller opens the knowledge base, which rebuilds it from the stored vectors and the cache.
public struct BackupRestorer: Sendable {
    public let dataDirectory: URL
    public let location: DatabaseLocation

    public init(dataDirectory: URL, location: DatabaseLocation) {
        self.dataDirectory = dataDirectory
        self.location = location
    }

    /// Restores the backup at `folder`; refuses a target that holds documents, users, origins or an index unless
    /// `force`, which replaces them.
    @discardableResult
    public func restore(_ folder: URL, force: Bool) async throws -> BackupManifest {
        let manifest = try await BackupVerifier.verify(folder)
        let index = KnowledgeBase.indexDirectory(in: dataDirectory)
        let indexed = !(((try? FileManager.default.contentsOfDirectory(atPath: index.path)) ?? []).isEmpty)
        switch location {
        case .sqlite(let path):
            if FileManager.default.fileExists(atPath: path) {
                let existing = try await SQLiteStore.open(path: path)
                let rows = try await existing.tableCounts().total
                try? existing.close()
                guard force || (rows == 0 && !indexed) else { throw notEmpty(rows: rows) }
            } else if indexed, !force {
                throw notEmpty(rows: 0)
            }
            try removeIndex(index)
            let target = URL(fileURLWithPath: path)
            let staging = target.deletingLastPathComponent().appendingPathComponent(".restore-\(UUID()).sqlite")
            try FileDigest.copy(folder.appendingPathComponent(BackupManifest.databaseName), to: staging)
            // The replaced database's side files belong to it: its log would be replayed onto the restored one.
            for suffix in ["-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: target.path + suffix)
            }
            guard rename(staging.path, target.path) == 0 else {
                try? FileManager.default.removeItem(at: staging)
                throw BackupError(.io, "cannot move the restored database into place")
            }
        case .postgres:
            let target = try await openMetadataStore(location)
            let rows = try await target.tableCounts().total
            guard force || (rows == 0 && !indexed) else { throw notEmpty(rows: rows) }
            try removeIndex(index)
            try await BackupVerifier.withDatabaseCopy(of: folder) { source in
                _ = try await StoreCopier().copy(from: source, to: target, replace: force)
            }
        }
        for kind in ["embeddings", "originals"] {
            for file in manifest.files where file.path.hasPrefix(kind + "/") {
                let target = dataDirectory.appendingPathComponent(file.path)
                try? FileManager.default.removeItem(at: target)
                try FileDigest.copy(folder.appendingPathComponent(file.path), to: target)
            }
        }
        return manifest
    }

    private func notEmpty(rows: Int) -> BackupError {
        BackupError(
            .targetNotEmpty,
            "the target holds \(rows) rows\(rows == 0 ? " and an index" : ""): use --force to replace them")
    }

    private func removeIndex(_ index: URL) throws(BackupError) {
        guard FileManager.default.fileExists(atPath: index.path) else { return }
        do { try FileManager.default.removeItem(at: index) } catch {
            throw BackupError(.io, "cannot remove the old index")
        }
    }
}
