import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid` by the caller itself: the PDF extractor,
/// the backup's `tar`, and the command-line tests' `aigov`.
///
/// Why not Foundation's `Process`: its `waitUntilExit()` waits on a run loop for a notice its SIGCHLD source posts,
/// and on Linux that notice was lost under a full parallel test run (the child sat as a zombie and the waiting
/// thread spun at full CPU for good). Reaping the child ourselves cannot miss its exit.
///
/// The child gets exactly the environment given (callers pass ``ChildEnvironment/minimal``: it never sees the
/// server's secrets), standard input, output and error on the named files, no other descriptor of this process
/// (``closeAllButStandard(_:)``), and the signal state a shell gives a command: none blocked, every one at its
/// default. A server ignores SIGPIPE and may spawn from a thread with signals blocked; a child would inherit both.
public enum ChildProcess {
    /// How the child ended.
    public enum Termination: Sendable, Equatable {
        /// It exited with this code.
        case exited(Int32)
        /// A signal it did not catch ended it.
        case signaled(Int32)
        /// The caller's `stop` check asked for it, and its process group was killed.
        case stopped
    }

    /// The child could not be started (the executable missing, a file not opened); `code` is the `errno`.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let code: Int32
        public let action: String
        public var description: String { "\(action) failed: \(String(cString: strerror(code)))" }
    }

    /// Where one of the child's standard descriptors points.
    public enum Stream: Sendable, Equatable {
        /// A file, opened for reading (standard input) or created and truncated for writing, mode 0600.
        case path(String)
        /// A descriptor of this process (a pipe's end), duplicated onto the standard one.
        case descriptor(Int32)
    }

    /// Runs `arguments` (the executable's path first) and waits for it to end.
    ///
    /// - Parameters:
    ///   - directory: the child's working directory; this process's when nil.
    ///   - ownProcessGroup: starts the child in a new process group, so that ``Termination/stopped`` kills
    ///     whatever it started too (a shell's `exec`ed tool, its helpers).
    ///   - stop: checked about every 5 ms while the child runs (a deadline, an output file's size); when it
    ///     returns true the child (and its group, with `ownProcessGroup`) is killed and reaped.
    public static func run(
        _ arguments: [String], environment: [String: String], stdin: String = "/dev/null",
        stdout: String = "/dev/null", stderr: String = "/dev/null", directory: String? = nil,
        ownProcessGroup: Bool = false, stop: (() -> Bool)? = nil
    ) throws(Failure) -> Termination {
        let child = try start(
            arguments, environment: environment, stdin: .path(stdin), stdout: .path(stdout), stderr: .path(stderr),
            directory: directory, ownProcessGroup: ownProcessGroup)
        guard let stop else { return try child.wait() }
        while true {
            if let ended = try child.poll() { return ended }
            if stop() {
                child.kill(group: ownProcessGroup)
                _ = try child.wait()
                return .stopped
            }
            usleep(5000)
        }
    }

    /// Starts `arguments` (the executable's path first) and returns at once; the caller must ``Child/wait()`` for
    /// it (or find it ended with ``Child/poll()``), or it stays a zombie.
    public static func start(
        _ arguments: [String], environment: [String: String], stdin: Stream = .path("/dev/null"),
        stdout: Stream = .path("/dev/null"), stderr: Stream = .path("/dev/null"), directory: String? = nil,
        ownProcessGroup: Bool = false
    ) throws(Failure) -> Child {
        guard let executable = arguments.first else { throw Failure(code: EINVAL, action: "spawning no program") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .descriptor(let own): posix_spawn_file_actions_adddup2(&actions, own, descriptor)
            case .path(let path):
                let flags =
                    descriptor == 0 ? O_RDONLY : path == "/dev/null" ? O_WRONLY : O_WRONLY | O_CREAT | O_TRUNC
                posix_spawn_file_actions_addopen(&actions, descriptor, path, flags, 0o600)
            }
        }
        closeAllButStandard(&actions)
        if let directory {
            guard let changeDirectory else {
                throw Failure(code: ENOSYS, action: "posix_spawn_file_actions_addchdir_np")
            }
            let changed = directory.withCString { changeDirectory(&actions, $0) }
            guard changed == 0 else { throw Failure(code: changed, action: "chdir to \(directory)") }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if ownProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // Sorted, so a child sees its variables in the same order at every run.
        var variables: [UnsafeMutablePointer<CChar>?] =
            environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in variables { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, &argv, &variables)
        guard spawned == 0 else { throw Failure(code: spawned, action: "starting \(executable)") }
        return Child(pid: pid)
    }

    /// A started child. Its end is read once, by ``poll()`` or ``wait()``, and kept: after that the process id may
    /// belong to another process, so ``kill(_:group:)`` does nothing.
    public final class Child: Sendable {
        /// The child's process id.
        public let pid: Int32
        private let ended = Mutex<Termination?>(nil)

        init(pid: Int32) { self.pid = pid }

        /// How the child ended, or nil while it runs. Does not block.
        public func poll() throws(Failure) -> Termination? {
            try ended.withLock { (ended: inout Termination?) throws(Failure) -> Termination? in
                if let ended { return ended }
                var status: Int32 = 0
                let result = waitpid(pid, &status, WNOHANG)
                if result == pid { ended = Self.termination(status) }
                if result == -1, errno != EINTR { throw Failure(code: errno, action: "waitpid") }
                return ended
            }
        }

        /// Waits for the child to end: it is left unreaped (`WNOWAIT`) until it has ended and reaped after, so the
        /// lock is not held while waiting. Kill first, then wait, from one thread at a time: a test that killed the
        /// child from one thread while another waited saw the kill miss it under heavy load (docs/ARCHITECTURE.md
        /// section 11), and no caller does that.
        public func wait() throws(Failure) -> Termination {
            if let ended = ended.withLock({ $0 }) { return ended }
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 {
                guard errno == EINTR else { throw Failure(code: errno, action: "waitid") }
            }
            return try ended.withLock { (ended: inout Termination?) throws(Failure) -> Termination in
                if let ended { return ended }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 {
                    guard errno == EINTR else { throw Failure(code: errno, action: "waitpid") }
                }
                let termination = Self.termination(status)
                ended = termination
                return termination
            }
        }

        /// Sends `signal` (SIGKILL unless told) to the child, or to its process group, unless it was reaped.
        public func kill(_ signal: Int32 = SIGKILL, group: Bool = false) {
            ended.withLock { ended in
                guard ended == nil else { return }
                sendSignal(group ? -pid : pid, signal)
            }
        }

        private static func termination(_ status: Int32) -> Termination {
            // The low 7 bits hold the terminating signal, 0 for a normal exit whose code is in the next byte.
            let signal = status & 0x7F
            return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
        }
    }

    private typealias FileActionsPath =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias FileActionsFrom =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29) and `..._addclosefrom_np` (2.34), looked up at run
    /// time: Swift's Glibc module does not declare them (they sit behind `_GNU_SOURCE`), and an older C library
    /// lacks them.
    private static let changeDirectory: FileActionsPath? = symbol("posix_spawn_file_actions_addchdir_np")
    private static let closeFrom: FileActionsFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<T>(_ name: String) -> T? {
        #if os(Linux)
            guard let found = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
            return unsafeBitCast(found, to: T.self)
        #else
            return nil
        #endif
    }

    /// Adds actions that close every descriptor from 3 up in the child, after the standard ones are set up.
    /// Without `closefrom` in the C library, the descriptors open now are listed and each is closed.
    ///
    /// A descriptor the server opened without close-on-exec (a file another thread is writing, a library's socket)
    /// would otherwise live on in the child for as long as the child runs. For the PDF extractor that is both a
    /// leak to a process parsing untrusted input and a hazard: a child holding a file open for writing makes every
    /// `exec` of that file fail with ETXTBSY until the child exits.
    static func closeAllButStandard(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom, closeFrom(&actions, 3) == 0 { return }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
}

/// `kill(2)`, out of reach of ``ChildProcess/Child/kill(_:group:)``'s own name.
private func sendSignal(_ pid: pid_t, _ signal: Int32) {
    _ = kill(pid, signal)
}
