import APIServer
import Settings
import Testing

@Suite struct ServerConfigurationTests {
    @Test func developmentDefaults() throws {
        let c = try ServerConfiguration(variables: [:])
        #expect(c.environment == .development && c.port == 8000 && c.accessTokenMinutes == 30)
        // No key in the source: without SECRET_KEY, `aigov serve` reads or makes the data directory's key file.
        #expect(c.secretKey == nil && c.chat == nil)
        #expect(c.search.queryCacheMegabytes == 16 && c.search.bm25Stemming && c.retrievalBackend == .local)
        #expect(c.loginRateLimitPerMinute == 10)
        #expect(
            c.connectionTimeouts == ConnectionTimeouts(header: .seconds(10), body: .seconds(60), idle: .seconds(30)))
    }

    @Test func connectionTimeoutsAndLoginLimitAreRead() throws {
        let c = try ServerConfiguration(variables: [
            "HTTP_HEADER_TIMEOUT_SECONDS": "3", "HTTP_BODY_TIMEOUT_SECONDS": "4", "HTTP_IDLE_TIMEOUT_SECONDS": "5",
            "LOGIN_RATE_LIMIT_PER_MINUTE": "7",
        ])
        #expect(c.connectionTimeouts == ConnectionTimeouts(header: .seconds(3), body: .seconds(4), idle: .seconds(5)))
        #expect(c.loginRateLimitPerMinute == 7)
        for name in ["HTTP_HEADER_TIMEOUT_SECONDS", "HTTP_BODY_TIMEOUT_SECONDS", "HTTP_IDLE_TIMEOUT_SECONDS"] {
            #expect(throws: ConfigurationError.self) { try ServerConfiguration(variables: [name: "0"]) }
        }
    }

    @Test func shortSecretsAreRefusedEverywhere() {
        for environment in ["development", "production"] {
            #expect(throws: ConfigurationError.self) {
                try ServerConfiguration(variables: ["ENVIRONMENT": environment, "SECRET_KEY": "short-secret"])
            }
        }
    }

    @Test func productionRefusesMissingOrShortSecrets() {
        for key in [nil, "short-secret"] {
            var variables = ["ENVIRONMENT": "production"]
            variables["SECRET_KEY"] = key
            #expect(throws: ConfigurationError.self) { try ServerConfiguration(variables: variables) }
        }
        let ok = try? ServerConfiguration(
            variables: ["ENVIRONMENT": "production", "SECRET_KEY": String(repeating: "k", count: 48)])
        #expect(ok?.environment == .production)
    }

    @Test func badNumbersAndNamesAreReported() {
        do {
            _ = try ServerConfiguration(variables: ["PORT": "eighty"])
            Issue.record("accepted a bad port")
        } catch let error as ConfigurationError {
            #expect(error.variable == "PORT")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(variables: ["ENVIRONMENT": "staging"]) }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(variables: ["ALGORITHM": "none"]) }
    }

    @Test func corsOriginsAreACommaList() throws {
        let c = try ServerConfiguration(variables: ["CORS_ORIGINS": "https://a.example, https://b.example,,"])
        #expect(c.corsOrigins == ["https://a.example", "https://b.example"])
    }
}

@Suite struct ServerSettingsTests {
    @Test func logSettingsAndChatModel() throws {
        let defaults = try ServerConfiguration(variables: [:])
        #expect(defaults.logLevel == .info && defaults.logFormat == .json && defaults.chat == nil)
        #expect(!defaults.qdrantConfigured && defaults.maxJSONBodyBytes == 1 << 20)
        #expect(defaults.maxUploadBytes == 50 << 20)
        let set = try ServerConfiguration(
            variables: [
                "LOG_LEVEL": "WARN", "LOG_FORMAT": "text", "GROQ_BASE_URL": "http://127.0.0.1:8080/v1",
                "QDRANT_URL": "http://127.0.0.1:6333",
            ])
        #expect(set.logLevel == .warning && set.logFormat == .text && set.qdrantConfigured)
        #expect(set.chat?.baseURL == "http://127.0.0.1:8080/v1" && set.chat?.apiKey == nil)
        let groq = try ServerConfiguration(variables: ["GROQ_API_KEY": "gsk_test"])
        #expect(groq.chat?.baseURL == "https://api.groq.com/openai/v1" && groq.chat?.model == "openai/gpt-oss-20b")
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(variables: ["LOG_LEVEL": "loud"]) }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(variables: ["LOG_FORMAT": "xml"]) }
    }
}
