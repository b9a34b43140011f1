import Foundation
import Retrieval
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The local Qdrant-speaking server (Tests/Support/qdrant_local_server.py, qdrant-client's local mode) as a
/// child process on a free loopback port. It needs qdrant-client in `.deps/qdrant-test` (scripts/test runs
/// scripts/qdrant-test-setup): without it starting throws, so the tests fail rather than skip.
final class QdrantPeer: @unchecked Sendable {
    // @unchecked: `Process` and `Pipe` are not Sendable; they are only touched at start and in `stop()`.
    let port: Int
    private let process: Process
    private let stdin: Pipe

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let scriptPath = root.appendingPathComponent("Tests/Support/qdrant_local_server.py").path
    static let pythonPath = root.appendingPathComponent(".deps/qdrant-test").path

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    private init(port: Int, process: Process, stdin: Pipe) {
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    /// Starts a peer; `apiKey` makes it refuse requests without that `api-key` header.
    static func start(apiKey: String? = nil) throws -> QdrantPeer {
        guard FileManager.default.fileExists(atPath: pythonPath + "/qdrant_client") else {
            throw StartError(
                description: "qdrant-client is not installed in \(pythonPath): run scripts/qdrant-test-setup")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath] + (apiKey.map { ["--api-key", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = pythonPath
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // The first stdout line is the port; EOF first means python3 or qdrant-client is missing.
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
            throw StartError(description: "the Qdrant peer did not start (python3 and .deps/qdrant-test needed)")
        }
        return QdrantPeer(port: port, process: process, stdin: stdin)
    }

    /// Stops the child: closing its stdin is its signal.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// One peer for the whole test process; tests keep apart by using their own collection (and fault paths).
    private static let sharedTask = Task { try await offThePool { try QdrantPeer.start() } }
    static func shared() async throws -> QdrantPeer { try await sharedTask.value }

    /// A configuration for a fresh, unique collection on this peer, with quick retries.
    func configuration(
        apiKey: String? = nil, timeout: Duration = .seconds(5),
        retry: QdrantRetryPolicy = QdrantRetryPolicy(
            maxAttempts: 4, baseDelay: .milliseconds(50), deadline: .seconds(20))
    ) -> QdrantConfiguration {
        QdrantConfiguration(
            url: url, apiKey: apiKey, collection: "test_\(UUID().uuidString.prefix(8).lowercased())",
            requestTimeout: timeout, retry: retry)
    }

    // MARK: Test controls

    /// Queues faults for the next requests whose path contains `path` (one fault per request, in order).
    func inject(_ faults: [[String: Any]], path: String) async throws {
        let tagged = faults.map { fault in fault.merging(["path": path]) { old, _ in old } }
        _ = try await control("POST", "/__faults", body: ["faults": tagged])
    }

    /// The API requests made so far whose path contains `path`.
    func requests(path: String) async throws -> [[String: Any]] {
        let answer = try await control("GET", "/__requests", body: nil)
        let all = answer["requests"] as? [[String: Any]] ?? []
        return all.filter { ($0["path"] as? String)?.contains(path) == true }
    }

    private func control(_ method: String, _ path: String, body: [String: Any]?) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, _) = try await URLSession.shared.data(for: request)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}

/// Runs blocking `work` on a Dispatch thread outside the cooperative pool.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// Runs `body` against a dedicated peer (for settings the shared one lacks) and stops it afterwards.
func withDedicatedPeer<T>(apiKey: String? = nil, _ body: (QdrantPeer) async throws -> T) async throws -> T {
    let peer = try await offThePool { try QdrantPeer.start(apiKey: apiKey) }
    do {
        let result = try await body(peer)
        await stopOffPool(peer)
        return result
    } catch {
        await stopOffPool(peer)
        throw error
    }
}

private func stopOffPool(_ peer: QdrantPeer) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        DispatchQueue.global().async {
            peer.stop()
            continuation.resume()
        }
    }
}
