import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid` by the caller itself.
///
/// Foundation's `Process.waitUntilExit()` waits on a run loop for a notice its SIGCHLD source posts; on Linux that
/// notice was lost under a full parallel test run: the child sat as a zombie and the waiting thread spun at full
/// CPU for good, hanging the run. Reaping the child ourselves cannot miss its exit.
public enum SpawnedChild {
    /// How the child ended: its exit code, or the signal that killed it.
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// A spawn failure (the executable missing, the folder not there).
    public struct Failure: Error, CustomStringConvertible {
        public let code: Int32
        public let action: String
        public var description: String { "\(action) failed: \(String(cString: strerror(code)))" }
    }

    private typealias FileActionsPath =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias FileActionsFrom =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addchdir_np` and `..._addclosefrom_np`, which Swift's Glibc module does not
    /// declare (they sit behind `_GNU_SOURCE`).
    private static let changeDirectory: FileActionsPath? = symbol("posix_spawn_file_actions_addchdir_np")
    private static let closeFrom: FileActionsFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let found = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(found, to: T.self)
    }

    /// Runs `executable` with `arguments` in `directory`, with standard input, output and error on the given
    /// files and exactly `environment`, and waits for it to end. Descriptors of this process other than the
    /// standard three are closed in the child, so it holds no test server's socket.
    public static func run(
        _ executable: String, _ arguments: [String], directory: String, environment: [String: String],
        stdin: String, stdout: String, stderr: String
    ) throws -> Termination {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let closeFrom { _ = closeFrom(&actions, 3) }
        guard let changeDirectory else { throw Failure(code: ENOSYS, action: "posix_spawn_file_actions_addchdir_np") }
        let changed = directory.withCString { changeDirectory(&actions, $0) }
        guard changed == 0 else { throw Failure(code: changed, action: "chdir to \(directory)") }
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var variables: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in variables { free(pointer) } }
        // The spawning thread may be a Dispatch worker with signals blocked, and the test process ignores SIGPIPE:
        // the child starts as a shell would start it, with no signal blocked and every one at its default.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, &argv, &variables)
        guard spawned == 0 else { throw Failure(code: spawned, action: "posix_spawn \(executable)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(code: errno, action: "waitpid") }
        }
        // The low 7 bits hold the terminating signal, 0 for a normal exit whose code is in the next byte.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }
}
