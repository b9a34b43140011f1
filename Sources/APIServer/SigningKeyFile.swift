import Foundation
import Settings

/// The token-signing key kept in the data directory when `SECRET_KEY` is not set.
///
/// No key that ships in the source ever signs a token: a server started without `SECRET_KEY` creates a random
/// key at first start in `<data-dir>/secret_key` (mode 0600) and reads it back on later starts, so tokens
/// survive restarts, and replicas over one data directory (or given a copy of the file) accept each other's
/// tokens. Creation uses `O_EXCL`, so two processes starting at once end up with the same key.
public enum SigningKeyFile {
    public static let fileName = "secret_key"
    /// 48 random bytes, written as 64 base64url characters.
    static let randomBytes = 48

    /// The key and whether this call created it.
    public struct Loaded: Sendable {
        public var key: String
        public var created: Bool
        /// Set when the file was readable by others and has been restricted to its owner.
        public var tightenedPermissions: Bool
    }

    /// Reads `<directory>/secret_key`, creating it first when missing.
    ///
    /// - Throws: ``ConfigurationError`` (variable `SECRET_KEY`) when the file cannot be created or read, or
    ///   holds fewer than 32 bytes.
    public static func loadOrCreate(in directory: URL) throws -> Loaded {
        let path = directory.appendingPathComponent(fileName).path
        var created = false
        if !FileManager.default.fileExists(atPath: path) {
            created = try create(path)
        }
        var tightened = false
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure("cannot read \(path) (errno \(errno))") }
        if info.st_mode & 0o077 != 0 {
            guard chmod(path, 0o600) == 0 else {
                throw failure("cannot restrict \(path) to its owner (errno \(errno))")
            }
            tightened = true
        }
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else { throw failure("cannot read \(path)") }
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard key.utf8.count >= TokenService.minimumKeyBytes else {
            throw failure("\(path) holds fewer than \(TokenService.minimumKeyBytes) bytes; delete it to make a new key")
        }
        return Loaded(key: key, created: created, tightenedPermissions: tightened)
    }

    /// Writes a new random key (mode 0600) to a private temporary name, then links it into place, so a reader
    /// never sees a half-written key; false when another process linked its key first.
    private static func create(_ path: String) throws -> Bool {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<randomBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text =
            Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "") + "\n"
        let temporary = path + ".\(getpid()).\(UInt32.random(in: 0 ... .max, using: &generator)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create \(temporary) (errno \(errno))") }
        defer { unlink(temporary) }
        let written = Array(text.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == text.utf8.count, synced else { throw failure("cannot write \(temporary) (errno \(errno))") }
        if link(temporary, path) != 0 {
            if errno == EEXIST { return false }
            throw failure("cannot create \(path) (errno \(errno))")
        }
        return true
    }

    private static func failure(_ message: String) -> ConfigurationError {
        ConfigurationError(variable: "SECRET_KEY", message: message)
    }
}
