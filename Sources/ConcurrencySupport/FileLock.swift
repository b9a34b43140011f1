import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock (`flock`) on a file, taken without waiting and held until ``release()`` or the value
/// goes away. The kernel drops it when the process dies, so a crash never leaves a stale lock. What it guards and
/// how a refusal reads is the caller's (the data directory's index lock, a backup folder's lock).
public final class FileLock: Sendable {
    /// Why the lock was not taken.
    public enum Failure: Error, Sendable, Equatable {
        /// The lock file could not be opened or created (`errno`).
        case unopenable(errno: Int32)
        /// Another process holds it.
        case held
    }

    private let descriptor: Mutex<Int32?>

    /// Takes the lock on `path` (created with `mode` if missing).
    public init(path: String, mode: mode_t = 0o644) throws(Failure) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .unopenable(errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .held
        }
        descriptor = Mutex(fd)
    }

    /// Releases the lock now (closing the file releases it); later calls do nothing.
    public func release() {
        descriptor.withLock { fd in
            if let open = fd { close(open) }
            fd = nil
        }
    }

    deinit { release() }
}
