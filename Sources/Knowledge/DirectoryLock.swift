import ConcurrencySupport
import Documents
import Foundation

/// The data directory's index lock (a ``FileLock`` on `index.lock`): keeps two processes from writing one index,
/// with a refusal that says what to do about it.
final class DirectoryLock: Sendable {
    private let lock: FileLock

    /// Takes the lock on `path` (created if missing) without waiting.
    ///
    /// - Throws: `IngestError` `locked` when another process holds it, `unreadable` when the file cannot
    ///   be opened.
    init(path: String) throws {
        do {
            lock = try FileLock(path: path)
        } catch .unopenable(let code) {
            throw IngestError(.unreadable, file: path, "cannot open the lock file (errno \(code))")
        } catch .held {
            throw IngestError(
                .locked, file: path,
                "another aigov process (a server, an ingest or a rebuild) is using this data directory; "
                    + "stop it or use its HTTP API")
        }
    }
}
