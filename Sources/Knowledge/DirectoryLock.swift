import Documents
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock on a file, held until the value is released: keeps two processes from
/// writing one index. The kernel drops it when the process dies, so a crash never leaves a stale lock.
final class DirectoryLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock on `path` (created if missing) without waiting.
    ///
    /// - Throws: `IngestError` `locked` when another process holds it, `unreadable` when the file cannot
    ///   be opened.
    init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw IngestError(.unreadable, file: path, "cannot open the lock file (errno \(errno))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw IngestError(
                .locked, file: path,
                "another aigov process (a server, an ingest or a rebuild) is using this data directory; "
                    + "stop it or use its HTTP API")
        }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }
}
