import Foundation
import NIOSSL
import PostgresNIO

/// How the PostgreSQL connection uses TLS, from the URL's `sslmode` (or `ssl=true`).
public enum PostgresTLSMode: String, Sendable, Equatable {
    /// No TLS: `sslmode=disable`, no parameter, and also `allow`/`prefer`, which aigov does not try
    /// opportunistically (a server that must be reached over TLS should be named with `require` or stricter).
    case disable
    /// TLS without certificate checks, as libpq's `require` (and `ssl=true`).
    case require
    /// TLS with the certificate checked against the system trust roots but not the host name (`verify-ca`).
    case verifyCA = "verify-ca"
    /// TLS with the certificate and host name checked (`verify-full`).
    case verifyFull = "verify-full"
}

/// The parts of a `postgresql://user:password@host:port/database?sslmode=...` URL. `description` leaves the
/// password out, so a value can be logged or put in an error.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: PostgresTLSMode
    /// `sslrootcert`: a PEM file of the certificate authorities to trust instead of the system's roots (cloud
    /// providers hand one out). As in libpq, `require` with a root file checks the certificate like `verify-ca`.
    public var rootCertificatePath: String?

    /// Parses a PostgreSQL URL; throws `invalid_database_url` (without echoing the URL) when it is not one.
    public init(url: String) throws {
        let lower = url.lowercased()
        guard lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://"),
            let components = URLComponents(string: url), let host = components.host, !host.isEmpty
        else {
            throw StoreError(.invalidDatabaseURL, "DATABASE_URL is not a postgresql://user@host/database URL")
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.username = components.user?.removingPercentEncoding ?? components.user ?? "postgres"
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.removingPercentEncoding ?? path
        // libpq's default: the database named like the user.
        self.database = database.isEmpty ? username : database
        var tls = PostgresTLSMode.disable
        var rootCertificatePath: String?
        for item in components.queryItems ?? [] {
            let value = (item.value ?? "").lowercased()
            switch item.name.lowercased() {
            case "sslmode":
                switch value {
                case "disable", "allow", "prefer", "": tls = .disable
                case "require": tls = .require
                case "verify-ca": tls = .verifyCA
                case "verify-full": tls = .verifyFull
                default:
                    throw StoreError(
                        .invalidDatabaseURL,
                        "sslmode \"\(value.prefix(20))\" is not one of disable, prefer, require, verify-ca, verify-full"
                    )
                }
            case "sslrootcert":
                let path = item.value ?? ""
                rootCertificatePath = path.isEmpty ? nil : path
            case "ssl":
                if ["true", "1", "on", "yes"].contains(value) { tls = .require }
            default:
                break
            }
        }
        self.tls = tls
        self.rootCertificatePath = rootCertificatePath
    }

    public var description: String {
        "postgresql://\(username)@\(host):\(port)/\(database) (tls: \(tls.rawValue))"
    }

    /// The host, port and database without the user, for error messages.
    var target: String { "\(host):\(port)/\(database)" }

    /// NIOSSL's configuration for the TLS mode, nil for `disable`.
    func tlsConfiguration() -> TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable: return nil
        case .require:
            configuration.certificateVerification = rootCertificatePath == nil ? .none : .noHostnameVerification
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let rootCertificatePath { configuration.trustRoots = .file(rootCertificatePath) }
        return configuration
    }

    /// The pooled client's configuration.
    func clientConfiguration() -> PostgresClient.Configuration {
        let tlsMode: PostgresClient.Configuration.TLS = tlsConfiguration().map { .require($0) } ?? .disable
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsMode)
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 10
        return configuration
    }

    /// A single connection's configuration, for the probe at connect.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var tlsMode = PostgresConnection.Configuration.TLS.disable
        if tls != .disable, let rootCertificatePath, !FileManager.default.isReadableFile(atPath: rootCertificatePath) {
            throw StoreError(.invalidDatabaseURL, "the sslrootcert file \(rootCertificatePath) cannot be read")
        }
        if let configuration = tlsConfiguration() {
            do {
                tlsMode = .require(try NIOSSLContext(configuration: configuration))
            } catch {
                throw StoreError(.connectionFailed, "cannot set up TLS for PostgreSQL at \(target)")
            }
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsMode)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}
