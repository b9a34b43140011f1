import Foundation
import Store
import Testing

/// Runs when a test server is configured, and always in CI (where a missing one must fail, not skip).
private let serverTests = ConditionTrait.enabled(
    if: PostgresTestServer.adminURL != nil || PostgresTestServer.required,
    "needs AIGOV_TEST_DATABASE_URL (scripts/postgres-test-cluster)")

@Suite struct PostgresSettingsTests {
    @Test func urlPartsAndDefaults() throws {
        let full = try PostgresSettings(url: "postgresql://ai%40gov:p%2Fss@db.example:6543/meta%20data")
        #expect(full.host == "db.example" && full.port == 6543)
        #expect(full.username == "ai@gov" && full.password == "p/ss" && full.database == "meta data")
        #expect(full.tls == .disable)

        let bare = try PostgresSettings(url: "postgres://aigov@localhost")
        #expect(bare.port == 5432 && bare.database == "aigov" && bare.password == nil)
    }

    @Test func sslmodeTurnsTLSOnOrOff() throws {
        func mode(_ query: String) throws -> PostgresTLSMode {
            try PostgresSettings(url: "postgresql://u:pw@h/db" + query).tls
        }
        #expect(try mode("") == .disable)
        #expect(try mode("?sslmode=disable") == .disable)
        #expect(try mode("?sslmode=prefer") == .disable)
        #expect(try mode("?sslmode=allow") == .disable)
        #expect(try mode("?sslmode=require") == .require)
        #expect(try mode("?application_name=x&sslmode=verify-ca") == .verifyCA)
        #expect(try mode("?sslmode=VERIFY-FULL") == .verifyFull)
        #expect(try mode("?ssl=true") == .require)
        #expect(try mode("?ssl=false") == .disable)
        let rooted = try PostgresSettings(
            url: "postgresql://u:pw@h/db?sslmode=verify-full&sslrootcert=/etc/Ca%20Bundle.pem")
        #expect(rooted.tls == .verifyFull && rooted.rootCertificatePath == "/etc/Ca Bundle.pem")
        #expect(try PostgresSettings(url: "postgresql://u:pw@h/db?sslmode=require").rootCertificatePath == nil)
        do {
            _ = try PostgresSettings(url: "postgresql://u:hunter2@h/db?sslmode=sometimes")
            Issue.record("an unknown sslmode was accepted")
        } catch let error as StoreError {
            #expect(error.code == .invalidDatabaseURL && !error.description.contains("hunter2"))
        }
    }

    @Test func descriptionLeavesThePasswordOut() throws {
        let settings = try PostgresSettings(url: "postgresql://aigov:hunter2@db:5433/meta?sslmode=require")
        #expect(settings.description == "postgresql://aigov@db:5433/meta (tls: require)")
    }

    @Test func anUnreachableServerIsAConnectionFailureWithoutThePassword() async throws {
        // Port 1 on loopback: nothing listens there, the connect is refused at once.
        do {
            _ = try await PostgresStore.connect(url: "postgresql://aigov:hunter2@127.0.0.1:1/aigov")
            Issue.record("connected to a port where nothing listens")
        } catch let error as StoreError {
            #expect(error.code == .connectionFailed, "\(error)")
            #expect(!error.description.contains("hunter2"))
        }
    }
}

@Suite(serverTests) struct PostgresStoreTests {
    /// CI sets AIGOV_REQUIRE_POSTGRES=1: then the server must be configured and reachable, or this fails.
    @Test func theRequiredServerIsReachable() async throws {
        #expect(PostgresTestServer.adminURL != nil, "AIGOV_TEST_DATABASE_URL is not set")
        try await PostgresTestServer.withDatabase { url in
            let store = try await PostgresStore.open(url: url)
            #expect(try await store.counts() == StoreCounts(documents: 0, chunks: 0))
            await store.close()
        }
    }

    /// The test cluster refuses its TLS role on a plain connection (pg_hba `hostnossl ... reject`), so a store
    /// that works as that role spoke TLS; the cluster's certificate is self-signed, so the verifying modes refuse it
    /// unless `sslrootcert` names it.
    @Test func sslmodeRequireSpeaksTLSAndVerificationTrustsOnlyTheSystemRootsOrSSLRootCert() async throws {
        let tlsURL = try #require(
            PostgresTestServer.tlsURL, "AIGOV_TEST_DATABASE_TLS_URL is not set (scripts/postgres-test-cluster env)")
        let role = try PostgresSettings(url: tlsURL).username
        let name = "aigov_tls_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresTestServer.admin("CREATE DATABASE \(name) OWNER \(role)")
        var components = try #require(URLComponents(string: tlsURL))
        components.path = "/" + name
        func url(_ query: String?) throws -> String {
            components.query = query
            return try #require(components.string)
        }
        do {
            let plain = await storeErrorCode { _ = try await PostgresStore.connect(url: try url(nil)) }
            #expect(plain == .authenticationFailed || plain == .connectionFailed, "\(String(describing: plain))")

            for query in ["sslmode=require", "ssl=true"] {
                let store = try await PostgresStore.open(url: try url(query))
                #expect(try await store.counts() == StoreCounts(documents: 0, chunks: 0))
                await store.close()
            }
            for query in ["sslmode=verify-ca", "sslmode=verify-full", "sslmode=require&sslrootcert=/dev/null"] {
                do {
                    _ = try await PostgresStore.connect(url: try url(query))
                    Issue.record("\(query) accepted a certificate it cannot trust")
                } catch let error as StoreError {
                    #expect(error.code == .connectionFailed, "\(error)")
                    #expect(error.description.contains("TLS"), "\(error)")
                }
            }
            // Trusting the cluster's own certificate (it names 127.0.0.1) satisfies both checks.
            let root = try #require(
                PostgresTestServer.tlsRootCertificate, "AIGOV_TEST_DATABASE_TLS_ROOT is not set")
            for mode in ["verify-ca", "verify-full"] {
                let store = try await PostgresStore.open(url: try url("sslmode=\(mode)&sslrootcert=\(root)"))
                #expect(try await store.counts() == StoreCounts(documents: 0, chunks: 0))
                await store.close()
            }
            let missing = await storeErrorCode {
                _ = try await PostgresStore.connect(url: try url("sslmode=verify-full&sslrootcert=/no/such/root.crt"))
            }
            #expect(missing == .invalidDatabaseURL)
        } catch {
            try? await PostgresTestServer.admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        try await PostgresTestServer.admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    @Test func migrateTwiceIsIdempotent() async throws {
        try await PostgresTestServer.withDatabase { url in
            let store = try await PostgresStore.connect(url: url)
            let first = try await store.migrate()
            #expect(first.applied == [1, 2, 3, 4, 5, 6, 7, 8] && first.versions == [1, 2, 3, 4, 5, 6, 7, 8])
            let again = try await store.migrate()
            #expect(again.applied == [] && again.versions == [1, 2, 3, 4, 5, 6, 7, 8])
            await store.close()
        }
    }

    @Test func concurrentMigrationsApplyEachVersionOnce() async throws {
        try await PostgresTestServer.withDatabase { url in
            let stores = [try await PostgresStore.connect(url: url), try await PostgresStore.connect(url: url)]
            let reports = try await withThrowingTaskGroup(of: MigrationReport.self) { group in
                for store in stores { group.addTask { try await store.migrate() } }
                var reports: [MigrationReport] = []
                for try await report in group { reports.append(report) }
                return reports
            }
            #expect(reports.allSatisfy { $0.versions == [1, 2, 3, 4, 5, 6, 7, 8] })
            #expect(reports.map(\.applied).sorted { $0.count < $1.count } == [[], [1, 2, 3, 4, 5, 6, 7, 8]])
            for store in stores { await store.close() }
        }
    }

    @Test func anUnmigratedDatabaseGivesATypedError() async throws {
        try await PostgresTestServer.withDatabase { url in
            let store = try await PostgresStore.connect(url: url)
            let code = await storeErrorCode { _ = try await store.counts() }
            #expect(code == .database)
            await store.close()
        }
    }

    @Test func aWrongPasswordIsAnAuthenticationFailureWithoutThePassword() async throws {
        var components = try #require(URLComponents(string: try PostgresTestServer.url(database: "postgres")))
        components.password = "not-the-password-7f3a"
        let url = try #require(components.string)
        do {
            _ = try await PostgresStore.connect(url: url)
            Issue.record("connected with a wrong password")
        } catch let error as StoreError {
            #expect(error.code == .authenticationFailed, "\(error)")
            #expect(!error.description.contains("not-the-password-7f3a"))
        }
    }

    @Test func aMissingDatabaseIsNamedWithoutThePassword() async throws {
        let url = try PostgresTestServer.url(database: "aigov_no_such_database")
        let password = try PostgresSettings(url: url).password ?? "\u{0}"
        do {
            _ = try await PostgresStore.connect(url: url)
            Issue.record("connected to a database that does not exist")
        } catch let error as StoreError {
            #expect(error.code == .databaseNotFound, "\(error)")
            #expect(error.description.contains("aigov_no_such_database"))
            #expect(!error.description.contains(password))
        }
    }

    @Test func importedUserIDsDoNotCollideWithNewUsers() async throws {
        try await withStore(.postgres) { store in
            let imported = User(
                id: 41, username: "imported", email: nil, passwordHash: "h", role: .admin, isActive: true,
                createdAt: Date(timeIntervalSince1970: 1_700_000_000.123))
            try await store.importRows(StoreRows(users: [imported]))
            let created = try await store.createUser(NewUser(username: "new", passwordHash: "h2", role: .viewer))
            #expect(created.id > 41)
            #expect(try await store.user(username: "IMPORTED") == imported)
        }
    }
}
