import Foundation
import Logging
import PostgresNIO
import Store
import Testing

/// Which store a parameterised test runs on.
enum Engine: String, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when `AIGOV_TEST_DATABASE_URL` names a server or `AIGOV_REQUIRE_POSTGRES=1`
    /// (then a missing URL or a server that cannot be reached fails those tests instead of skipping them).
    static var all: [Engine] {
        PostgresTestServer.adminURL != nil || PostgresTestServer.required ? [.sqlite, .postgres] : [.sqlite]
    }

    var testDescription: String { rawValue }
}

/// The PostgreSQL server the tests use: `AIGOV_TEST_DATABASE_URL` (e.g. from `scripts/postgres-test-cluster`)
/// names a role that may create databases. Each test gets its own database, so tests run in parallel.
enum PostgresTestServer {
    static var adminURL: String? {
        let value = ProcessInfo.processInfo.environment["AIGOV_TEST_DATABASE_URL"] ?? ""
        return value.isEmpty ? nil : value
    }

    /// A role of the same server that may log in only over TLS (`scripts/postgres-test-cluster env` prints it).
    static var tlsURL: String? {
        let value = ProcessInfo.processInfo.environment["AIGOV_TEST_DATABASE_TLS_URL"] ?? ""
        return value.isEmpty ? nil : value
    }

    /// The PEM certificate that cluster serves (self-signed, for 127.0.0.1 and localhost).
    static var tlsRootCertificate: String? {
        let value = ProcessInfo.processInfo.environment["AIGOV_TEST_DATABASE_TLS_ROOT"] ?? ""
        return value.isEmpty ? nil : value
    }

    /// Set by CI: PostgreSQL tests must run and pass, never be skipped.
    static var required: Bool { ProcessInfo.processInfo.environment["AIGOV_REQUIRE_POSTGRES"] == "1" }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// The URL of a database on the test server named `database`, with the admin URL's credentials and options.
    static func url(database: String) throws -> String {
        guard let adminURL, var components = URLComponents(string: adminURL) else {
            throw Unavailable(description: "AIGOV_TEST_DATABASE_URL is not set (AIGOV_REQUIRE_POSTGRES=1)")
        }
        components.path = "/" + database
        guard let url = components.string else { throw Unavailable(description: "cannot build a database URL") }
        return url
    }

    /// Runs `sql` on the admin database (the one in `AIGOV_TEST_DATABASE_URL`).
    static func admin(_ sql: String) async throws {
        guard let adminURL else {
            throw Unavailable(description: "AIGOV_TEST_DATABASE_URL is not set (AIGOV_REQUIRE_POSTGRES=1)")
        }
        let settings = try PostgresSettings(url: adminURL)
        let configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: .disable)
        let logger = Logger(label: "aigov.tests.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    /// Creates a fresh database, passes its URL to `body`, and drops it afterwards.
    static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let name = "aigov_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin("CREATE DATABASE \(name)")
        let url = try url(database: name)
        do {
            let result = try await body(url)
            try? await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            return result
        } catch {
            try? await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
    }
}
