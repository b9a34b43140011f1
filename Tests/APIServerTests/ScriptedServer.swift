import Foundation

/// The scripted OpenAI-compatible server (Tests/Support/scripted_openai_server.py) as a child process on a
/// free loopback port, as in AnsweringTests. Requires python3: without it, starting throws, so the tests
/// fail rather than skip.
final class ScriptedServer: @unchecked Sendable {
    // @unchecked: `Process` and `Pipe` are not Sendable; they are only touched at start and in `stop()`.
    let port: Int
    private let process: Process
    private let stdin: Pipe
    private let logURL: URL

    static let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/scripted_openai_server.py").path

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    private init(port: Int, process: Process, stdin: Pipe, logURL: URL) {
        self.port = port
        self.process = process
        self.stdin = stdin
        self.logURL = logURL
    }

    static func start() throws -> ScriptedServer {
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "scripted-openai-\(UUID().uuidString).jsonl")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, logURL.path]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // The first stdout line is the port; EOF first means python3 is missing or the script failed.
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
            throw StartError(description: "the scripted server did not start: is python3 on PATH?")
        }
        return ScriptedServer(port: port, process: process, stdin: stdin, logURL: logURL)
    }

    /// Stops the child (closing its stdin is its signal) and removes the log.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logURL)
    }

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// The log lines recorded for `model`: requests (with `attempt`) and events (with `event`).
    func log(model: String) -> [[String: Any]] {
        guard let data = try? Data(contentsOf: logURL), let text = String(data: data, encoding: .utf8) else {
            return []
        }
        return text.split(separator: "\n").compactMap { line in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                entry["model"] as? String == model
            else { return nil }
            return entry
        }
    }

    /// Waits up to `timeout` for the server to record that the client of `model` went away.
    func waitForDisconnect(model: String, timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if log(model: model).contains(where: { $0["event"] as? String == "disconnected" }) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

/// Runs `body` against a fresh scripted server and stops it afterwards. Starting and stopping block, so they
/// run on a Dispatch thread rather than one of the cooperative pool's few threads.
func withScriptedServer<T>(_ body: (ScriptedServer) async throws -> T) async throws -> T {
    let server = try await offThePool { try ScriptedServer.start() }
    do {
        let result = try await body(server)
        await offThePool { server.stop() }
        return result
    } catch {
        await offThePool { server.stop() }
        throw error
    }
}

func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}

/// A model name playing `scenario`, unique to the calling test.
func scriptedModel(_ scenario: String) -> String { scenario + "#" + UUID().uuidString }
