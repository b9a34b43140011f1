import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The small file system chores a backup needs: flushing a folder after a rename, removing SQLite's side files.
enum FileChores {
    /// fsync of a folder, so a rename inside it survives a power cut.
    static func flushDirectory(_ url: URL) {
        let descriptor = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Removes the `-wal`, `-shm` and `-journal` files left beside a closed SQLite database; a log that still holds
    /// pages is an error, never removed (it holds rows the file lacks).
    static func removeSidecars(of database: URL) throws(BackupError) {
        let log = database.path + "-wal"
        if let size = (try? FileManager.default.attributesOfItem(atPath: log))?[.size] as? Int, size > 0 {
            throw BackupError(.io, "\(database.lastPathComponent) was closed with rows still in its log")
        }
        for suffix in ["-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: database.path + suffix)
        }
    }
}
