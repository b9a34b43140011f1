import Foundation

/// A Python test peer (a script under Tests/Support) as a child process. The script binds a free loopback
/// port, prints it as its first stdout line and runs until its stdin closes, so a test process that dies
/// takes its peers with it.
public struct PythonPeer: @unchecked Sendable {
    // @unchecked: `Process` and `Pipe` are not Sendable; they are only touched at start and in `stop()`.

    /// The loopback port the peer listens on.
    public let port: Int
    private let process: Process
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", supportFolder.appendingPathComponent(script).path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var line = Data()
        let reader = stdout.fileHandleForReading
        while !line.contains(0x0A) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let text = String(data: line, encoding: .utf8),
            let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw StartError(description: failure)
        }
        return PythonPeer(port: port, process: process, stdin: stdin)
    }

    /// Stops the peer (closing its stdin is its signal) and waits for it to exit. Blocks.
    public func stop() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
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
