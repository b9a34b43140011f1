import Documents
import Foundation

/// A real OpenAI-compatible server for tests: llama.cpp's `llama-server` serving SmolLM2-135M (ARCHITECTURE.md section 7),
/// as a child process on a free loopback port.
///
/// `scripts/llm-server-setup` builds or reuses the binary and installs the model; it writes their paths to
/// `.deps/llm.env`, which is read unless `LLAMA_SERVER` and `LLM_GGUF` are set in the environment. Without them
/// the tests that need the server are disabled on a developer's machine (see ``isEnabled``), but CI sets
/// `AIGOV_REQUIRE_LLM=1`, where a missing or broken server makes those tests fail instead.
public final class LlamaServer: Sendable {
    /// The loopback port the server listens on.
    public let port: Int
    /// Started and reaped by ChildProcess, not Foundation's Process, whose wait once missed a child's exit.
    private let child: ChildProcess.Child
    private let logURL: URL

    /// Why the server could not be started.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The binary and the model, from the environment or `.deps/llm.env`; nil when neither names both.
    public static var paths: (server: String, model: String)? {
        var values = ProcessInfo.processInfo.environment
        if values["LLAMA_SERVER"] == nil || values["LLM_GGUF"] == nil {
            let envFile = repositoryRoot.appendingPathComponent(".deps/llm.env")
            if let text = try? String(contentsOf: envFile, encoding: .utf8) {
                for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                    let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts.count == 2, values[parts[0]] == nil { values[parts[0]] = parts[1] }
                }
            }
        }
        guard let server = values["LLAMA_SERVER"], let model = values["LLM_GGUF"], !server.isEmpty, !model.isEmpty
        else { return nil }
        return (server, model)
    }

    /// CI sets `AIGOV_REQUIRE_LLM=1`: the tests must then run, and fail when the server is missing.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["AIGOV_REQUIRE_LLM"] == "1" }

    /// Whether tests that need the server should run: when it is installed, or when CI requires it.
    public static var isEnabled: Bool { isRequired || paths != nil }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private init(port: Int, child: ChildProcess.Child, logURL: URL) {
        self.port = port
        self.child = child
        self.logURL = logURL
    }

    /// The base URL an OpenAI client uses (`.../v1`).
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Starts the server with the flags ARCHITECTURE.md section 7 gives for tests (`-t 1 -n 256 -c 2048`) and waits until
    /// `GET /health` answers 200. Blocks: call it off the cooperative pool.
    public static func start(timeout: TimeInterval = 120) throws -> LlamaServer {
        guard let (server, model) = paths else {
            throw StartError(
                description: "llama-server is not installed: run scripts/llm-server-setup (it writes .deps/llm.env)")
        }
        guard FileManager.default.isExecutableFile(atPath: server), FileManager.default.fileExists(atPath: model)
        else {
            throw StartError(
                description: "LLAMA_SERVER or LLM_GGUF names a missing file; rerun scripts/llm-server-setup")
        }
        let port = try freePort()
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("llama-server-\(port).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        defer { try? log.close() }
        let child = try ChildProcess.start(
            [server, "-m", model, "--host", "127.0.0.1", "--port", String(port), "-t", "1", "-n", "256", "-c", "2048"],
            environment: ProcessInfo.processInfo.environment, stdout: .descriptor(log.fileDescriptor),
            stderr: .descriptor(log.fileDescriptor))
        let instance = LlamaServer(port: port, child: child, logURL: logURL)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard (try? child.poll()) == nil else {
                let tail = instance.logTail()
                instance.stop()
                throw StartError(description: "llama-server exited during start-up:\n\(tail)")
            }
            if healthStatus(port: port) == 200 { return instance }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let tail = instance.logTail()
        instance.stop()
        throw StartError(description: "llama-server was not healthy after \(Int(timeout)) s:\n\(tail)")
    }

    /// Stops the server and removes its log. llama-server's graceful shutdown can wait indefinitely for an idle
    /// keep-alive connection of the client's pool, so SIGTERM gets two seconds before SIGKILL.
    public func stop() {
        child.kill(SIGTERM)
        let deadline = Date().addingTimeInterval(2)
        while (try? child.poll()) == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        child.kill()
        _ = try? child.wait()
        try? FileManager.default.removeItem(at: logURL)
    }

    /// The last lines the server logged, for failure messages.
    public func logTail(lines: Int = 30) -> String {
        guard let text = try? String(contentsOf: logURL, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// The status of `GET /health`, or nil when nothing answers yet. llama-server answers 503 while loading.
    private static func healthStatus(port: Int) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        guard request.utf8CString.withUnsafeBufferPointer({ send(fd, $0.baseAddress, $0.count - 1, 0) }) > 0 else {
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 12 else { return nil }
        // "HTTP/1.1 200 OK"
        return Int(String(decoding: buffer[9..<12], as: UTF8.self))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// A port nothing listens on now: bind port 0 and read what the kernel chose.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw StartError(description: "bind() failed") }
        var chosen = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &chosen) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: chosen.sin_port))
    }
}

/// Runs `body` against a freshly started llama-server and stops it afterwards. Starting and stopping block, so
/// they run on a Dispatch thread, outside Swift's cooperative pool.
public func withLlamaServer<T>(_ body: (LlamaServer) async throws -> T) async throws -> T {
    let server = try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try LlamaServer.start() }) }
    }
    let stop = {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                server.stop()
                continuation.resume()
            }
        }
    }
    do {
        let result = try await body(server)
        await stop()
        return result
    } catch {
        await stop()
        throw error
    }
}
