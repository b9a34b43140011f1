import Documents
import Foundation

/// A Python test peer (a script under Tests/Support) as a child process. The script binds a free loopback
/// port, prints it as its first stdout line and runs until its stdin closes, so a test process that dies
/// takes its peers with it.
public struct PythonPeer: @unchecked Sendable {
    // @unchecked: `Pipe` is not Sendable; it is only touched at start and in `stop()`.

    /// The loopback port the peer listens on.
    public let port: Int
    private let child: ChildProcess.Child
    private let stdin: Pipe

    /// Why a peer could not be started.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The repository's `Tests/Support` folder, where the peer scripts live.
    public static let supportFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Starts `python3 Tests/Support/<script> arguments...` and waits for its port. Blocks: call it through
    /// ``offThePool(_:)-swift.func`` from async code. `failure` says what is probably missing when the script
    /// exits before printing a port.
    public static func start(
        script: String, arguments: [String] = [], environment: [String: String] = [:], failure: String
    ) throws -> PythonPeer {
        let stdin = Pipe()
        let stdout = Pipe()
        // Started and reaped by ChildProcess, not Foundation's Process, whose wait once missed a child's exit.
        let child = try ChildProcess.start(
            ["/usr/bin/env", "python3", supportFolder.appendingPathComponent(script).path] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            stdin: .descriptor(stdin.fileHandleForReading.fileDescriptor),
            stdout: .descriptor(stdout.fileHandleForWriting.fileDescriptor), stderr: .descriptor(2))
        // The child's ends belong to the child: with ours closed, its exit ends our read.
        try? stdin.fileHandleForReading.close()
        try? stdout.fileHandleForWriting.close()
        let line = firstLine(of: stdout.fileHandleForReading)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            child.kill()
            _ = try? child.wait()
            throw StartError(description: failure)
        }
        return PythonPeer(port: port, child: child, stdin: stdin)
    }

    /// Stops the peer (closing its stdin is its signal) and waits for it to exit. Blocks.
    public func stop() {
        try? stdin.fileHandleForWriting.close()
        _ = try? child.wait()
    }
}

/// The first line `reader` gives (up to its end, when it ends first).
public func firstLine(of reader: FileHandle) -> String {
    var line = Data()
    while !line.contains(0x0A) {
        let chunk = reader.availableData
        if chunk.isEmpty { break }
        line += chunk
    }
    return String(decoding: line, as: UTF8.self)
}

/// Runs blocking `work` on a Dispatch thread outside the cooperative pool: blocked threads of that pool (one
/// per core) would stall every other test's timers and HTTP callbacks.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// Runs blocking `work` on a Dispatch thread outside the cooperative pool.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}
