import Foundation
import Store

/// `aigov backup verify`: a backup is whole when its manifest parses, lists exactly the files present, each of
/// its size and SHA-256, and its database passes SQLite's integrity check with the counts the manifest states.
/// The database is checked on a temporary copy, so verifying never changes the backup.
public enum BackupVerifier {
    /// The manifest of the backup at `folder` once every check passed.
    ///
    /// - Throws: ``BackupError`` `not_a_backup` (no manifest, or a later format) or `damaged` (naming the first
    ///   file that fails).
    public static func verify(_ folder: URL) async throws -> BackupManifest {
        let manifestURL = folder.appendingPathComponent(BackupManifest.fileName)
        guard let data = try? Data(contentsOf: manifestURL) else {
            throw BackupError(.notABackup, "\(folder.lastPathComponent) has no \(BackupManifest.fileName)")
        }
        guard let manifest = try? BackupManifest.decoder.decode(BackupManifest.self, from: data) else {
            throw BackupError(.damaged, "\(BackupManifest.fileName) does not parse")
        }
        guard manifest.format == 1 else {
            throw BackupError(.notABackup, "format \(manifest.format) is newer than this aigov reads")
        }
        let present = Set(FileDigest.files(under: folder).filter { $0 != BackupManifest.fileName })
        let listed = Set(manifest.files.map(\.path))
        if let extra = present.subtracting(listed).sorted().first {
            throw BackupError(.damaged, "\(extra) is not in the manifest")
        }
        guard listed.contains(BackupManifest.databaseName) else {
            throw BackupError(.damaged, "the manifest lists no \(BackupManifest.databaseName)")
        }
        if let snapshot = manifest.qdrantSnapshot, !listed.contains(snapshot.path) {
            throw BackupError(.damaged, "the manifest names a Qdrant snapshot it does not list")
        }
        for file in manifest.files {
            guard present.contains(file.path) else { throw BackupError(.damaged, "\(file.path) is missing") }
            let (hex, bytes) = try FileDigest.sha256(of: folder.appendingPathComponent(file.path))
            guard bytes == file.bytes, hex == file.sha256 else {
                throw BackupError(.damaged, "\(file.path) does not match its checksum")
            }
        }
        try await withDatabaseCopy(of: folder) { store in
            if let problem = try await store.integrityProblem() {
                throw BackupError(.damaged, "\(BackupManifest.databaseName): \(problem)")
            }
            guard BackupManifest.Counts(try await store.tableCounts()) == manifest.counts else {
                throw BackupError(.damaged, "\(BackupManifest.databaseName) holds other rows than the manifest says")
            }
        }
        return manifest
    }

    /// Runs `body` over a copy of the backup's database in a temporary folder, removed afterwards.
    static func withDatabaseCopy<T>(
        of folder: URL, _ body: (SQLiteStore) async throws -> T
    ) async throws -> T {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-backup-\(UUID())")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let copy = temporary.appendingPathComponent(BackupManifest.databaseName)
        try FileDigest.copy(folder.appendingPathComponent(BackupManifest.databaseName), to: copy)
        let store: SQLiteStore
        do {
            store = try await SQLiteStore.open(path: copy.path)
        } catch {
            throw BackupError(.damaged, "\(BackupManifest.databaseName) does not open as a database")
        }
        do {
            let result = try await body(store)
            try? store.close()
            return result
        } catch let error as StoreError {
            try? store.close()
            throw BackupError(.damaged, "\(BackupManifest.databaseName): \(error.message)")
        } catch {
            try? store.close()
            throw error
        }
    }
}
