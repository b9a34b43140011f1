import APIServer
import Testing

@Suite struct ServerConfigurationTests {
    @Test func developmentDefaults() throws {
        let c = try ServerConfiguration(variables: [:])
        #expect(c.environment == .development && c.port == 8000 && c.accessTokenMinutes == 30)
        #expect(c.groqBaseURL == "https://api.groq.com/openai/v1" && c.groqModel == "openai/gpt-oss-20b")
        #expect(c.secretKey == ServerConfiguration.developmentSecretKey && c.groqAPIKey == nil)
    }

    @Test func productionRefusesMissingDefaultOrShortSecrets() {
        for key in [nil, ServerConfiguration.developmentSecretKey, "short-secret"] {
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
