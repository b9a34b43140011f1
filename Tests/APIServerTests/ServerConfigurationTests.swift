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
