import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fresh folder under the system temporary folder that only this user can enter (mode 0700, made by
/// `mkdtemp`, so no other user can pre-create or race it), for a child process's files and staged uploads.
/// The shared temporary folder is world-readable by listing, and files there get the default umask.
public struct PrivateTemporaryDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// Makes a folder named `<prefix>-XXXXXX`.
    ///
    /// - Throws: `IngestError` `unreadable` naming `file` when the folder cannot be made.
    public init(prefix: String, for file: String) throws {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-XXXXXX").path
        var bytes = Array(template.utf8CString)
        guard let made = bytes.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw IngestError(.unreadable, file: file, "cannot create a private temporary folder")
        }
        url = URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    /// Writes `data` to a new file `name` in the folder, readable and writable by this user only (0600).
    ///
    /// - Throws: `IngestError` `unreadable` naming `file` when the file cannot be written whole.
    public func write(_ data: Data, name: String, for file: String) throws -> URL {
        let target = url.appendingPathComponent(name)
        let descriptor = open(target.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw IngestError(.unreadable, file: file, "cannot stage the input") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            throw IngestError(.unreadable, file: file, "cannot stage the input")
        }
        return target
    }

    /// Deletes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
