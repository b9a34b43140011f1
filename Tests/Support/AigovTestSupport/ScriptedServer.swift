import Foundation

/// The scripted OpenAI-compatible server (Tests/Support/scripted_openai_server.py) on a free loopback port: it
/// produces the faults llama-server cannot (429 with `retry-after`, 5xx, a cut stream, `x_groq.error`, a slow
/// first byte), chosen by the request's model name, and logs every request and disconnect. Requires python3:
/// without it, starting throws, so the tests fail rather than skip.
public final class ScriptedServer: Sendable {
    private let peer: PythonPeer
    private let logURL: URL

    /// The loopback port the server listens on.
    public var port: Int { peer.port }

    /// The OpenAI-compatible base URL.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    private init(peer: PythonPeer, logURL: URL) {
        self.peer = peer
        self.logURL = logURL
    }

    /// Starts a server with its own log. Blocks.
    public static func start() throws -> ScriptedServer {
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "scripted-openai-\(UUID().uuidString).jsonl")
        let peer = try PythonPeer.start(
            script: "scripted_openai_server.py", arguments: [logURL.path],
            failure: "the scripted server did not start: is python3 on PATH?")
        return ScriptedServer(peer: peer, logURL: logURL)
    }

    /// Stops the server and removes its log. Blocks.
    public func stop() {
        peer.stop()
        try? FileManager.default.removeItem(at: logURL)
    }

    /// The log lines recorded for `model`: requests (with `attempt`) and events (with `event`).
    public func log(model: String) -> [[String: Any]] {
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

    /// The requests recorded for `model`, in order.
    public func requests(model: String) -> [[String: Any]] { log(model: model).filter { $0["attempt"] != nil } }

    /// Waits up to `timeout` for the server to record that the client of `model` went away.
    public func waitForDisconnect(model: String, timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if log(model: model).contains(where: { $0["event"] as? String == "disconnected" }) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

/// Runs `body` against a fresh scripted server and stops it afterwards; starting and stopping run off the
/// cooperative pool.
public func withScriptedServer<T>(_ body: (ScriptedServer) async throws -> T) async throws -> T {
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

/// A model name playing `scenario` on the scripted server, unique to the calling test.
public func scriptedModel(_ scenario: String) -> String { scenario + "#" + UUID().uuidString }
