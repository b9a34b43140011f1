// Qdrant's collection snapshots, for `aigov backup create --qdrant-snapshot` (ARCHITECTURE.md, "Backups"): the
// server writes the snapshot on its own disk; aigov downloads it into the backup and removes it from the server.
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// A snapshot Qdrant made of one collection, as `POST /collections/{c}/snapshots` describes it.
public struct QdrantSnapshot: Sendable, Equatable, Decodable {
    /// The file name on the server, which the download and delete routes take.
    public var name: String
    /// Bytes, when the server states them.
    public var size: Int64?
    /// SHA-256 of the file in hex, when the server states it (Qdrant does from 1.5 on).
    public var checksum: String?
}

extension QdrantClient {
    /// The real collection behind the configured name: snapshots belong to a collection, never to an alias.
    public func snapshotCollection() async throws(QdrantError) -> String {
        try await aliasTarget() ?? configuration.collection
    }

    /// Makes a snapshot of `collection` and waits until it is written.
    public func createSnapshot(of collection: String) async throws(QdrantError) -> QdrantSnapshot {
        try await call(.POST, snapshotsPath(collection), query: "wait=true", body: nil)
    }

    /// Streams the snapshot into `file` (created; the caller removes it on failure) and checks the server's size
    /// and checksum when it gave them. One attempt: a download that fails is retried by making a new backup.
    public func downloadSnapshot(
        _ snapshot: QdrantSnapshot, of collection: String, to file: URL, timeout: Duration = .seconds(3_600)
    ) async throws(QdrantError) {
        let host = configuration.hostForMessages
        let path = snapshotsPath(collection) + "/" + encoded(snapshot.name)
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: "aigov")
        if let key = configuration.apiKey { request.headers.add(name: "api-key", value: key) }
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: file)
        else { throw QdrantError(.invalidConfiguration, "cannot create \(file.lastPathComponent)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
            guard response.status == .ok else {
                throw QdrantError(
                    response.status == .notFound ? .notFound : .badResponse,
                    "\(host) answered HTTP \(response.status.code) for the snapshot",
                    httpStatus: Int(response.status.code))
            }
            for try await buffer in response.body {
                let chunk = Data(buffer.readableBytesView)
                hasher.update(data: chunk)
                try handle.write(contentsOf: chunk)
                bytes += Int64(chunk.count)
            }
            try handle.synchronize()
        } catch let error as QdrantError {
            throw error
        } catch {
            throw QdrantError(.unavailable, "the snapshot download from \(host) failed")
        }
        if let size = snapshot.size, size != bytes {
            throw QdrantError(.badResponse, "the snapshot from \(host) has \(bytes) bytes, not the \(size) announced")
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        if let checksum = snapshot.checksum, checksum.lowercased() != digest {
            throw QdrantError(.badResponse, "the snapshot from \(host) does not match its checksum")
        }
    }

    /// Removes the snapshot from the server's disk (a missing one is not an error).
    public func deleteSnapshot(_ snapshot: QdrantSnapshot, of collection: String) async throws(QdrantError) {
        do {
            let _: QdrantBodies.Ignored = try await call(
                .DELETE, snapshotsPath(collection) + "/" + encoded(snapshot.name), query: "wait=true", body: nil)
        } catch  where error.code == .notFound {
            return
        }
    }

    private func snapshotsPath(_ collection: String) -> String {
        "/collections/" + encoded(collection) + "/snapshots"
    }

    private func encoded(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~")))
            ?? segment
    }
}
