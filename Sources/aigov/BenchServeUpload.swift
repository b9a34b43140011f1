import AsyncHTTPClient
import ConcurrencySupport
import Documents
import Foundation
import NIOCore

/// The document upload `aigov bench serve --upload-during FILE` runs beside each measured run: an admin made for
/// the benchmark logs in, posts FILE to `POST /api/content/upload` under a fresh document id, and deletes it
/// after the run, so each run indexes the whole file while searches are measured and the data directory ends as
/// it began (but for the benchmark's user, `bench-upload-<random>`, which stays: users cannot be deleted).
struct BenchUpload: Sendable {
    let base: String
    let token: String
    let file: URL

    /// Makes the admin with `admin create` of `executable` (default: this binary; the server must not be running
    /// on the data directory yet) and returns its name and password.
    static func createAdmin(
        dataDirectory: URL, prefix: String = "bench-upload-", executable: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (username: String, password: String) {
        let username = prefix + String(UUID().uuidString.prefix(8)).lowercased()
        let password = UUID().uuidString + UUID().uuidString
        let program = executable ?? thisExecutable
        let input = Pipe()
        let child = try ChildProcess.start(
            [
                program.path, "admin", "create", "--data-dir", dataDirectory.path, "--username", username,
                "--password-stdin",
            ], environment: environment, stdin: .descriptor(input.fileHandleForReading.fileDescriptor))
        try? input.fileHandleForReading.close()
        input.fileHandleForWriting.write(Data((password + "\n").utf8))
        try input.fileHandleForWriting.close()
        guard try child.wait() == .exited(0) else { throw CLIError("could not create the benchmark's admin user") }
        return (username, password)
    }

    /// Logs in as the benchmark's admin.
    static func login(base: String, username: String, password: String, file: URL) async throws -> BenchUpload {
        var request = HTTPClientRequest(url: base + "/api/auth/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try JSONSerialization.data(withJSONObject: ["username": username, "password": password])
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == 200,
            let object = try JSONSerialization.jsonObject(with: Data(buffer: data)) as? [String: Any],
            let token = object["access_token"] as? String
        else { throw CLIError("the benchmark's admin could not log in (HTTP \(response.status.code))") }
        return BenchUpload(base: base, token: token, file: file)
    }

    /// What one upload took.
    struct Outcome: Sendable {
        var status: Int
        var seconds: Double

        var dictionary: [String: Any] { ["status": status, "seconds": (seconds * 100).rounded() / 100] }
    }

    /// Posts the file as document `documentID` and waits for the server's answer (the ingest is synchronous).
    func upload(documentID: String) async throws -> Outcome {
        let boundary = "aigov-bench-" + UUID().uuidString
        var body = Data()
        func part(_ name: String, filename: String? = nil, _ content: Data) {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\""
            if let filename { head += "; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream" }
            body.append(Data((head + "\r\n\r\n").utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        part("document_id", Data(documentID.utf8))
        part("file", filename: file.lastPathComponent, try Data(contentsOf: file))
        body.append(Data("--\(boundary)--\r\n".utf8))
        var request = HTTPClientRequest(url: base + "/api/content/upload")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        request.body = .bytes(ByteBuffer(bytes: body))
        let clock = ContinuousClock()
        let started = clock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(3600))
        _ = try await response.body.collect(upTo: 1 << 24)
        let elapsed = clock.now - started
        return Outcome(
            status: Int(response.status.code),
            seconds: elapsed.timeInterval)
    }

    /// Removes document `documentID` again.
    func delete(documentID: String) async throws {
        var request = HTTPClientRequest(url: base + "/api/admin/documents/" + documentID)
        request.method = .DELETE
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(Int(response.status.code)) || response.status.code == 404 else {
            throw CLIError("deleting the uploaded document failed (HTTP \(response.status.code))")
        }
    }
}
