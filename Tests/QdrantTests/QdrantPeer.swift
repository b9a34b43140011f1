import AigovTestSupport
import Foundation
import Qdrant
import Retrieval
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The local Qdrant-speaking server (Tests/Support/qdrant_local_server.py, qdrant-client's local mode) as a
/// child process on a free loopback port. It needs qdrant-client in `.deps/qdrant-test` (scripts/test runs
/// scripts/qdrant-test-setup): without it starting throws, so the tests fail rather than skip.
final class QdrantPeer: Sendable {
    private let peer: PythonPeer
    var port: Int { peer.port }

    static let pythonPath = PythonPeer.supportFolder.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".deps/qdrant-test").path

    private init(peer: PythonPeer) {
        self.peer = peer
    }

    /// Starts a peer; `apiKey` makes it refuse requests without that `api-key` header. Blocks.
    static func start(apiKey: String? = nil) throws -> QdrantPeer {
        guard FileManager.default.fileExists(atPath: pythonPath + "/qdrant_client") else {
            throw PythonPeer.StartError(
                description: "qdrant-client is not installed in \(pythonPath): run scripts/qdrant-test-setup")
        }
        let peer = try PythonPeer.start(
            script: "qdrant_local_server.py", arguments: apiKey.map { ["--api-key", $0] } ?? [],
            environment: ["PYTHONPATH": pythonPath],
            failure: "the Qdrant peer did not start (python3 and .deps/qdrant-test needed)")
        return QdrantPeer(peer: peer)
    }

    /// Stops the peer. Blocks.
    func stop() { peer.stop() }

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

/// Runs `body` against a dedicated peer (for settings the shared one lacks) and stops it afterwards.
func withDedicatedPeer<T>(apiKey: String? = nil, _ body: (QdrantPeer) async throws -> T) async throws -> T {
    let peer = try await offThePool { try QdrantPeer.start(apiKey: apiKey) }
    do {
        let result = try await body(peer)
        await offThePool { peer.stop() }
        return result
    } catch {
        await offThePool { peer.stop() }
        throw error
    }
}
