/// Why a backup could not be made, verified or restored: a stable code and a message naming the file or table
/// (never a secret: a database URL is never part of it).
public struct BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The path is not a backup (no manifest, or one that does not parse).
        public static let notABackup = Code(rawValue: "not_a_backup")
        /// A file is missing, has another size or checksum, or is not listed.
        public static let damaged = Code(rawValue: "damaged")
        /// The restore target holds data and `--force` was not given.
        public static let targetNotEmpty = Code(rawValue: "target_not_empty")
        /// Another backup into the same folder is running.
        public static let busy = Code(rawValue: "busy")
        /// A file could not be read or written.
        public static let io = Code(rawValue: "io")
    }

    public let code: Code
    public let message: String
    public var description: String { "\(code.rawValue): \(message)" }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
