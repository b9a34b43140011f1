import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock on a file, taken without waiting and held until ``release()`` or the value goes away.
/// The kernel drops it when the process dies, so a crash never leaves a stale lock. What it guards and how a
/// refusal reads is the caller's (the data directory's index lock, a backup folder's lock, the SQLite outbox lease).
///
/// It is a POSIX record lock (`fcntl(F_SETLK)`) because that lock belongs to the process. A `flock` belongs to the
/// open file, and every child the process starts (`pdftotext`, `psql`, any `Process`) holds a copy of the open
/// files from its fork to its `exec`: a `flock` released in that window stayed taken, and the next take by this
/// same process failed as if another process held it. Record locks never conflict within one process, so the
/// process keeps its own list of held paths, and since closing any descriptor of a file drops the process's
/// record locks on it, nothing here opens a lock file it does not then hold.
public final class FileLock: Sendable {
    /// Why the lock was not taken.
    public enum Failure: Error, Sendable, Equatable {
        /// The lock file could not be opened, created or locked (`errno`).
        case unopenable(errno: Int32)
        /// Another holder has it: another process, or another `FileLock` of this process.
        case held
    }

    /// The canonical paths this process holds.
    private static let heldPaths = Mutex<Set<String>>([])

    private let key: String
    private let descriptor: Mutex<Int32?>

    /// Takes the lock on `path` (created with `mode` if missing).
    public init(path: String, mode: mode_t = 0o644) throws(Failure) {
        let key = Self.canonical(path)
        guard Self.heldPaths.withLock({ $0.insert(key).inserted }) else { throw .held }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else {
            let error = errno
            Self.forget(key)
            throw .unopenable(errno: error)
        }
        var request = flock()
        request.l_type = Int16(F_WRLCK)
        request.l_whence = Int16(SEEK_SET)
        request.l_start = 0
        request.l_len = 0  // the whole file, however long
        guard fcntl(fd, F_SETLK, &request) == 0 else {
            let error = errno
            close(fd)
            Self.forget(key)
            throw error == EACCES || error == EAGAIN ? .held : .unopenable(errno: error)
        }
        self.key = key
        descriptor = Mutex(fd)
    }

    /// Releases the lock now (closing the file releases it); later calls do nothing.
    public func release() {
        let wasHeld = descriptor.withLock { fd in
            defer { fd = nil }
            guard let open = fd else { return false }
            close(open)
            return true
        }
        if wasHeld { Self.forget(key) }
    }

    deinit { release() }

    private static func forget(_ key: String) { heldPaths.withLock { _ = $0.remove(key) } }

    /// `path` with its folder's symbolic links, `.` and `..` resolved, so two spellings of one file are one lock.
    /// The file itself may not exist yet; its folder must (else opening fails anyway).
    private static func canonical(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        guard let resolved = realpath(folder, nil) else { return url.standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + url.lastPathComponent
    }
}
