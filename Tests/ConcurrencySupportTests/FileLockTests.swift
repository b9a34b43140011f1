import AigovTestSupport
import ConcurrencySupport
import Documents
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The lock behind the data directory's index lock, backup folders and the SQLite outbox lease: one holder per path
/// in a process and across processes, and never a child process that happens to be starting while it is held.
@Suite struct FileLockTests {
    private static func temporaryPath() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("test.lock").path)
    }

    @Test func oneHolderPerPathInAProcess() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try FileLock(path: path)
        #expect(throws: FileLock.Failure.held) { try FileLock(path: path) }
        // The same file by another spelling of its path is the same lock.
        #expect(throws: FileLock.Failure.held) { try FileLock(path: directory.path + "/./test.lock") }
        first.release()
        let second = try FileLock(path: path)
        second.release()
        #expect(throws: FileLock.Failure.unopenable(errno: ENOENT)) {
            try FileLock(path: directory.appendingPathComponent("missing/test.lock").path)
        }
    }

    /// A process starting a child (`pdftotext`, `psql`, any `Process`) copies its open descriptors into the child
    /// until the child's `exec`; a lock that belonged to the descriptor (`flock`) stayed taken for that while after
    /// its release, so the next push of the Qdrant outbox found its own lease "held by another process" and
    /// stopped. The child here waits instead of calling `exec`, which makes that window as long as the test needs.
    @Test func aChildStartedWhileTheLockIsHeldNeverKeepsIt() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let lock = try FileLock(path: path)
        let child = fork()
        if child == 0 {
            // Only async-signal-safe calls in the child of a multi-threaded process.
            usleep(3_000_000)
            _exit(0)
        }
        try #require(child > 0)
        defer {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        lock.release()
        let again = try FileLock(path: path)
        again.release()
    }

    /// A real second process holding the lock (a POSIX record lock, as `fcntl.lockf` takes it) keeps this one out
    /// until it lets go.
    @Test func anotherProcessHoldingTheLockKeepsThisOneOut() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = Pipe()
        let output = Pipe()
        // Started and reaped by ChildProcess, not Foundation's Process, whose wait once missed a child's exit.
        let holder = try ChildProcess.start(
            [
                "/usr/bin/python3", "-c",
                "import fcntl, sys; f = open(sys.argv[1], 'a'); fcntl.lockf(f, fcntl.LOCK_EX); print('held', flush=True);"
                    + " sys.stdin.read()",
                path,
            ], environment: ["PATH": "/usr/bin:/bin"], stdin: .descriptor(input.fileHandleForReading.fileDescriptor),
            stdout: .descriptor(output.fileHandleForWriting.fileDescriptor), stderr: .descriptor(2))
        try? input.fileHandleForReading.close()
        try? output.fileHandleForWriting.close()
        var ended = false
        defer {
            if !ended {
                holder.kill()
                _ = try? holder.wait()
            }
        }
        let line = firstLine(of: output.fileHandleForReading)
        try #require(line.hasPrefix("held"), "the holder did not take the lock")

        #expect(throws: FileLock.Failure.held) { try FileLock(path: path) }
        // Closing its input is the holder's signal to exit, which lets go of the lock.
        try input.fileHandleForWriting.close()
        #expect(try holder.wait() == .exited(0))
        ended = true
        let after = try FileLock(path: path)
        after.release()
    }
}
