import Answering
import Foundation
import Synchronization
import Testing

/// The scripted OpenAI-compatible server (Tests/Support/scripted_openai_server.py) as a child process on a
/// free loopback port. Requires python3: without it, starting throws, so the tests fail rather than skip.
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

    func requests(model: String) -> [[String: Any]] { log(model: model).filter { $0["attempt"] != nil } }

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

/// Runs `body` against a fresh scripted server and stops it afterwards.
///
/// Starting and stopping block (reading the port, waiting for exit), so they run on a Dispatch thread: blocked
/// threads of Swift's cooperative pool, which has one thread per core, would stall every other test's timers
/// and HTTP callbacks, and the timing tests would fail for no fault of the code.
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

/// Runs blocking `work` on a Dispatch thread outside the cooperative pool.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// Runs blocking `work` on a Dispatch thread outside the cooperative pool.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}

/// A model name playing `scenario`, unique to the calling test.
func model(_ scenario: String) -> String { scenario + "#" + UUID().uuidString }

/// Collects what a `@Sendable` callback receives.
final class Collector<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])
    func append(_ item: Element) { items.withLock { $0.append(item) } }
    var all: [Element] { items.withLock { $0 } }
}

/// The error `body` throws, or nil; an error that is not an `AnsweringError` is recorded as an issue.
func error(of body: () async throws -> Void) async -> AnsweringError? {
    do {
        try await body()
        return nil
    } catch let error as AnsweringError {
        return error
    } catch {
        Issue.record("not an AnsweringError: \(error)")
        return nil
    }
}

/// Seconds elapsed while running `body`.
func seconds(_ body: () async -> Void) async -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    await body()
    let elapsed = (clock.now - start).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
}

/// The text the scripted server's answer scenarios stream, piece by piece.
let scriptedAnswerPieces = [
    "Providers of high-risk AI systems must ",
    "establish a risk management system [1]. ",
    "Deployers must monitor the operation of the system [2][7].",
    "\n\nNon-compliance can lead to fines [9].",
]

/// A secret the server puts in error bodies; it must never reach an error.
let scriptedSecret = "SUPERSECRET"

/// Test passages about the EU AI Act, numbered 1...n.
func samplePassages(count: Int = 3) -> [Passage] {
    let texts = [
        """
        Article 9 Risk management system. 1. A risk management system shall be established, implemented, \
        documented and maintained in relation to high-risk AI systems. 2. The risk management system shall be \
        understood as a continuous iterative process planned and run throughout the entire lifecycle of a \
        high-risk AI system, e.g. through regular systematic review and updating.
        """,
        """
        Deployers of high-risk AI systems shall monitor the operation of the high-risk AI system on the basis \
        of the instructions for use. Where deployers have reason to consider that the use may result in a risk, \
        they shall inform the provider without undue delay.
        """,
        """
        Non-compliance with the prohibition of the AI practices referred to in Article 5 shall be subject to \
        administrative fines of up to EUR 35 000 000.
        """,
    ]
    return (0..<count).map { index in
        Passage(
            number: index + 1, chunkID: "chunk-\(index + 1)", documentID: "eu-ai-act",
            documentTitle: "EU AI Act", documentSource: "EUR-Lex", documentURL: "https://eur-lex.europa.eu/",
            section: ["Article 9", "Article 26", "Article 99"][index % 3], pageStart: 50 + index,
            pageEnd: 50 + index, chunkIndex: index, text: texts[index % 3], score: 1 / Double(index + 1))
    }
}
