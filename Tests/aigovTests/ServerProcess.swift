import Crypto
import Foundation

/// `aigov serve` as a child process on a random loopback port, its log kept in a temporary file.
final class ServerProcess: Sendable {
    /// The signing key that shipped in the source before keys were generated per data directory.
    static let formerDevelopmentKey = "aigov-development-secret-key-change-me-0123456789"

    let process: Process
    let base: String
    let logFile: URL

    private init(process: Process, base: String, logFile: URL) {
        self.process = process
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
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["serve", "--data-dir", data, "--port", String(port)] + extra
        process.currentDirectoryURL = CLI.root
        var variables = ProcessInfo.processInfo.environment.merging(["LOG_FORMAT": "json"]) { $1 }
        variables["SECRET_KEY"] = nil
        process.environment = variables.merging(environment) { $1 }
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let server = ServerProcess(process: process, base: "http://127.0.0.1:\(port)", logFile: logFile)
        for _ in 0..<300 {
            if (try? await ServeCommandTests.get(server.base + "/health"))?.0 == 200 { return server }
            guard process.isRunning else { break }
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
        process.interrupt()
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        return process.isRunning ? -1 : process.terminationStatus
    }

    func stop() {
        if process.isRunning { process.terminate() }
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
