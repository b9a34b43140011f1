import Foundation

/// An error from the metadata store, with a stable code.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `DATABASE_URL` is not a SQLite or PostgreSQL URL.
        public static let invalidDatabaseURL = Code(rawValue: "invalid_database_url")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// Which database holds the metadata, from `DATABASE_URL` (ARCHITECTURE.md section 10): SQLite in the data directory
/// when it is unset or `sqlite:`, PostgreSQL for `postgresql://` and `postgres://`.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// Parses `databaseURL` (nil or empty: the embedded default under `dataDirectory`).
    public init(databaseURL: String?, dataDirectory: URL) throws {
        let value = databaseURL?.trimmingCharacters(in: .whitespaces) ?? ""
        let defaultPath = dataDirectory.appendingPathComponent("aigov.sqlite").path
        if value.isEmpty {
            self = .sqlite(path: defaultPath)
            return
        }
        let lower = value.lowercased()
        if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            guard let components = URLComponents(string: value), let host = components.host, !host.isEmpty else {
                // The URL may hold a password: name the scheme only.
                throw StoreError(.invalidDatabaseURL, "DATABASE_URL is a PostgreSQL URL without a host")
            }
            self = .postgres(url: value)
        } else if lower.hasPrefix("sqlite:") {
            // sqlite:///absolute/path, sqlite://relative/path, sqlite:path; an empty path is the default file.
            var path = String(value.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            self = .sqlite(path: path.isEmpty ? defaultPath : path)
        } else {
            let scheme = value.split(separator: ":", maxSplits: 1).first.map(String.init) ?? value
            throw StoreError(
                .invalidDatabaseURL,
                "DATABASE_URL scheme \"\(scheme.prefix(20))\" is not supported: use sqlite:///path or postgresql://...")
        }
    }
}
