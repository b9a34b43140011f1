import Crypto
import Foundation

/// Streaming SHA-256 of files, and copies that are flushed to disk: the backup's two file primitives.
enum FileDigest {
    /// The SHA-256 (lower-case hex) and size of the file at `url`, read in 1 MiB pieces.
    static func sha256(of url: URL) throws(BackupError) -> (hex: String, bytes: Int64) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw BackupError(.io, "cannot read \(url.lastPathComponent)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while true {
            let piece: Data?
            do {
                piece = try handle.read(upToCount: 1 << 20)
            } catch {
                throw BackupError(.io, "cannot read \(url.lastPathComponent)")
            }
            guard let piece, !piece.isEmpty else { break }
            hasher.update(data: piece)
            bytes += Int64(piece.count)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), bytes)
    }

    /// Copies `source` to `target` (which must not exist) and flushes it to disk.
    static func copy(_ source: URL, to target: URL) throws(BackupError) {
        do {
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: target)
        } catch {
            throw BackupError(.io, "cannot copy \(source.lastPathComponent)")
        }
        try flush(target)
    }

    /// fsync: a backup whose folder is renamed into place must not lose its files' contents to a power cut.
    static func flush(_ url: URL) throws(BackupError) {
        guard let handle = try? FileHandle(forUpdating: url) else {
            throw BackupError(.io, "cannot open \(url.lastPathComponent) to flush it")
        }
        defer { try? handle.close() }
        do { try handle.synchronize() } catch { throw BackupError(.io, "cannot flush \(url.lastPathComponent)") }
    }

    /// Every regular file under `folder`, as paths relative to it, sorted.
    static func files(under folder: URL) -> [String] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [])
        else { return [] }
        let base = folder.standardizedFileURL.path
        var found: [String] = []
        for case let url as URL in enumerator
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.path
            found.append(String(path.dropFirst(base.count + 1)))
        }
        return found.sorted()
    }
}
