import Crypto
import Documents
import Foundation

/// `aigov serve` as a child process on a random loopback port, its log kept in a temporary file.
final class ServerProcess: Sendable {
    /// The signing key that shipped in the source before keys were generated per data directory.
    static let formerDevelopmentKey = "aigov-development-secret-key-change-me-0123456789"

    /// Started and reaped by ChildProcess, not Foundation's Process, whose wait once missed a child's exit.
    let child: ChildProcess.Child
    let base: String
    let logFile: URL

    private init(child: ChildProcess.Child, base: String, logFile: URL) {
        self.child = child
        self.base = base
        self.logFile = logFile
    }

    /// Starts the server over `data` and waits until `/health` answers (at most 30 s).
    static func start(
        data: String, extra: [String] = [], environment: [String: String] = [:]
    ) async throws -> ServerProcess {
        let port = 20_000 + Int.random(in: 0..<20_000)
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-serve-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        var variables = ProcessInfo.processInfo.environment.merging(["LOG_FORMAT": "json"]) { $1 }
        variables["SECRET_KEY"] = nil
        let child = try ChildProcess.start(
            [CLI.executable.path, "serve", "--data-dir", data, "--port", String(port)] + extra,
            environment: variables.merging(environment) { $1 }, stderr: .path(logFile.path),
            directory: CLI.root.path)
        let server = ServerProcess(child: child, base: "http://127.0.0.1:\(port)", logFile: logFile)
        for _ in 0..<300 {
            if (try? await ServeCommandTests.get(server.base + "/health"))?.0 == 200 { return server }
            guard (try? child.poll()) == nil else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw ServerFailed(log: (try? server.log()) ?? "")
    }

    struct ServerFailed: Error, CustomStringConvertible {
        var log: String
        var description: String { "aigov serve did not become healthy:\n\(log)" }
    }

    /// SIGINT, then waits up to 20 s; the exit status (-1 when it did not stop).
    func interruptAndWait() async throws -> Int32 {
        child.kill(SIGINT)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            switch try child.poll() {
            case .exited(let code): return code
            case .signaled(let signal): return signal
            case .stopped: return -1
            case nil: try await Task.sleep(for: .milliseconds(100))
            }
        }
        return -1
    }

    /// SIGTERM, and SIGKILL when the server has not ended 10 s later; reaped either way, off the cooperative pool.
    func stop() {
        let child = child
        child.kill(SIGTERM)
        DispatchQueue.global().async {
            let deadline = Date().addingTimeInterval(10)
            while (try? child.poll()) == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            child.kill()
            _ = try? child.wait()
        }
    }

    func log() throws -> String { try String(contentsOf: logFile, encoding: .utf8) }

    /// An HS256 JWT over `claims` (a JSON object text) signed with `key`.
    static func hs256Token(key: String, claims: String) -> String {
        func encode(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let signingInput = encode(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + encode(Data(claims.utf8))
        let signature = HMAC<SHA256>.authenticationCode(
            for: Data(signingInput.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return signingInput + "." + encode(Data(signature))
    }
}
