import Documents
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `ChildProcess` runs the PDF extractor, the backup's tar and the command-line tests' aigov: what the child gets and
/// how its end is reported.
@Suite final class ChildProcessTests {
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    private func read(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func theChildGetsExactlyItsEnvironmentFilesAndFolder() throws {
        let input = folder.appendingPathComponent("in")
        try Data("from stdin\n".utf8).write(to: input)
        let ended = try ChildProcess.run(
            ["/bin/sh", "-c", "read line; echo \"$line|$ONLY|${HOME:-unset}|$(pwd)\"; echo oops >&2; exit 3"],
            environment: ["ONLY": "given", "PATH": "/usr/bin:/bin"], stdin: input.path,
            stdout: folder.appendingPathComponent("out").path, stderr: folder.appendingPathComponent("err").path,
            directory: folder.path)
        #expect(ended == .exited(3))
        let resolved = folder.resolvingSymlinksInPath().path
        #expect(try read("out") == "from stdin|given|unset|\(resolved)\n")
        #expect(try read("err") == "oops\n")
    }

    /// The test process, like the server, ignores SIGPIPE; the child must not inherit that.
    @Test func theChildStartsWithDefaultSignals() throws {
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let ended = try ChildProcess.run(["/bin/sh", "-c", "kill -PIPE $$; exit 0"], environment: [:])
        #expect(ended == .signaled(SIGPIPE))
    }

    /// A stop check kills the child and, in its own process group, what it started: nothing is left running.
    @Test func aStopKillsTheWholeGroup() throws {
        let marker = folder.appendingPathComponent("grandchild")
        let started = Date()
        let ended = try ChildProcess.run(
            ["/bin/sh", "-c", "(sleep 2; echo alive > \"$0\") & sleep 30", marker.path], environment: [:],
            ownProcessGroup: true
        ) { Date().timeIntervalSince(started) > 0.2 }
        #expect(ended == .stopped)
        #expect(Date().timeIntervalSince(started) < 5)
        Thread.sleep(forTimeInterval: 2.5)
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the backgrounded grandchild was killed too")
    }

    /// A started child talks through pipes: `cat` gives back what it is given and ends when its input does.
    @Test func aStartedChildTalksThroughPipes() throws {
        let input = Pipe()
        let output = Pipe()
        let child = try ChildProcess.start(
            ["/bin/cat"], environment: [:], stdin: .descriptor(input.fileHandleForReading.fileDescriptor),
            stdout: .descriptor(output.fileHandleForWriting.fileDescriptor))
        try input.fileHandleForReading.close()
        try output.fileHandleForWriting.close()
        try input.fileHandleForWriting.write(contentsOf: Data("hello\n".utf8))
        #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) == "hello\n")
        #expect(try child.poll() == nil, "cat runs until its input ends")
        try input.fileHandleForWriting.close()
        #expect(try child.wait() == .exited(0))
        #expect(try child.wait() == .exited(0), "the end is kept")
        #expect(try child.poll() == .exited(0))
    }

    /// A child killed, then reaped: SIGTERM ends it, its end is kept, and a later kill does nothing.
    @Test func aStartedChildIsKilledThenReaped() async throws {
        let child = try ChildProcess.start(["/bin/sleep", "30"], environment: [:])
        try await Task.sleep(for: .milliseconds(100))
        #expect(try child.poll() == nil)
        child.kill(SIGTERM)
        #expect(try child.wait() == .signaled(SIGTERM))
        #expect(try child.poll() == .signaled(SIGTERM), "the end is kept")
        child.kill()
    }

    @Test func aMissingProgramIsAFailureNotACrash() {
        #expect(throws: ChildProcess.Failure.self) {
            try ChildProcess.run([folder.appendingPathComponent("no-such-program").path], environment: [:])
        }
        #expect(throws: ChildProcess.Failure.self) {
            try ChildProcess.run(["/bin/true"], environment: [:], directory: folder.appendingPathComponent("gone").path)
        }
    }
}
