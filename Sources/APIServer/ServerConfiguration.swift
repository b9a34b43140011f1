import Answering
import Foundation
import Logging
import Qdrant
import Settings

/// The server's settings from the environment, under the old platform's names (ARCHITECTURE.md section 10): the
/// HTTP ones read here, the search and chat settings the CLI shares read by the `Settings` module.
public struct ServerConfiguration: Sendable, Equatable {
    public enum Environment: String, Sendable { case development, production }
    /// How log lines are written: one JSON object per line, or swift-log's plain text.
    public enum LogFormat: String, Sendable { case json, text }

    public var environment: Environment
    public var host: String
    public var port: Int
    /// The token-signing key from `SECRET_KEY`; nil (development only) means the key file of the data
    /// directory, which `aigov serve` resolves through ``SigningKeyFile`` before building the application.
    public var secretKey: String?
    public var accessTokenMinutes: Int
    public var corsOrigins: [String]
    public var rateLimitPerMinute: Int
    /// Login requests per client address per minute (`LOGIN_RATE_LIMIT_PER_MINUTE`, default 10), whatever
    /// their outcome: each costs a password hash.
    public var loginRateLimitPerMinute: Int
    /// Per-connection read deadlines (`HTTP_HEADER_TIMEOUT_SECONDS`, `HTTP_BODY_TIMEOUT_SECONDS`,
    /// `HTTP_IDLE_TIMEOUT_SECONDS`).
    public var connectionTimeouts: ConnectionTimeouts
    /// Searches that run at once (`SEARCH_CONCURRENCY`, default two per core); more wait in arrival order.
    public var searchConcurrency: Int
    /// Qdrant, the retrieval backend, the question-vector cache, BM25 stemming and reranking: the settings
    /// `aigov search` and `aigov ask` read the same way.
    public var search: SearchSettings
    /// Proxies whose `X-Forwarded-For` names the client (`FORWARDED_ALLOW_IPS`, default `127.0.0.1`).
    public var trustedProxies: TrustedProxies
    /// The chat model to answer with: set when `GROQ_API_KEY` or `GROQ_BASE_URL` is (a local llama.cpp needs
    /// no key); nil means extractive answers only.
    public var chat: ChatConfiguration?
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// Seconds between the mirror loop's looks at the outbox (`QDRANT_SYNC_INTERVAL_SECONDS`, default 2).
    public var qdrantSyncInterval: Duration
    /// Milliseconds between this replica's looks at the store's change feed (`FEED_POLL_INTERVAL_MS`, default 500):
    /// a change through another replica is searchable here within about this long plus the time to index it.
    public var feedPollInterval: Duration
    /// Hours the store keeps change-feed entries (`FEED_RETENTION_HOURS`, default 24); a replica away for longer
    /// reconciles its whole index with the store when it returns.
    public var feedRetention: Duration
    /// The Qdrant mirror's collection, when `QDRANT_URL` is set (``SearchSettings/qdrant``).
    public var qdrant: QdrantConfiguration? { search.qdrant }
    /// Where dense search runs (``SearchSettings/retrievalBackend``).
    public var retrievalBackend: RetrievalBackend { search.retrievalBackend }
    /// Whether `QDRANT_URL` is set.
    public var qdrantConfigured: Bool { search.qdrant != nil }
    /// The Qdrant settings search uses, or nil for the local index (``SearchSettings/searchQdrant``).
    public var searchQdrant: QdrantConfiguration? { search.searchQdrant }
    /// Cap on JSON request bodies (ARCHITECTURE.md section 11).
    public var maxJSONBodyBytes = ServerConfiguration.defaultMaxJSONBodyBytes
    /// Cap on multipart uploads (ARCHITECTURE.md section 11).
    public var maxUploadBytes = ServerConfiguration.defaultMaxUploadBytes
    /// The variables the configuration was read from: the settings an admin may change at run time
    /// (``PlatformSettings``) are laid over them, so clearing a stored value brings the variable's back.
    public var variables = EnvironmentValues([:])
    /// The caps a server starts with (tests lower them); `/openapi.json` quotes them.
    static let defaultMaxJSONBodyBytes = 1 << 20
    static let defaultMaxUploadBytes = 50 << 20

    /// Reads `variables`; a `SECRET_KEY` shorter than 32 bytes is an error, and so is none in production
    /// (replicas must share one key, which a key file generated per machine would not give).
    public init(variables: [String: String]) throws {
        let environment = EnvironmentValues(variables)
        self.variables = environment
        func value(_ name: String) -> String? { environment.text(name) }
        func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
            try environment.integer(name, default: fallback, range: range)
        }
        let environmentName = value("ENVIRONMENT")?.lowercased() ?? "development"
        guard let deployment = Environment(rawValue: environmentName) else {
            throw ConfigurationError(variable: "ENVIRONMENT", message: "must be development or production")
        }
        self.environment = deployment
        host = value("HOST") ?? "127.0.0.1"
        port = try integer("PORT", default: 8000, range: 0...65535)
        accessTokenMinutes = try integer("ACCESS_TOKEN_EXPIRE_MINUTES", default: 30, range: 1...525_600)
        rateLimitPerMinute = try integer("RATE_LIMIT_PER_MINUTE", default: 60, range: 1...1_000_000)
        loginRateLimitPerMinute = try integer("LOGIN_RATE_LIMIT_PER_MINUTE", default: 10, range: 1...1_000_000)
        connectionTimeouts = ConnectionTimeouts(
            header: .seconds(try integer("HTTP_HEADER_TIMEOUT_SECONDS", default: 10, range: 1...3600)),
            body: .seconds(try integer("HTTP_BODY_TIMEOUT_SECONDS", default: 60, range: 1...86_400)),
            idle: .seconds(try integer("HTTP_IDLE_TIMEOUT_SECONDS", default: 30, range: 1...86_400)))
        searchConcurrency = try integer(
            "SEARCH_CONCURRENCY", default: 2 * ProcessInfo.processInfo.activeProcessorCount, range: 1...1024)
        search = try SearchSettings(environment)
        // Set but empty trusts no proxy; unset is uvicorn's default.
        trustedProxies = try TrustedProxies(
            parsing: variables["FORWARDED_ALLOW_IPS"] ?? TrustedProxies.defaultValue)
        corsOrigins = (value("CORS_ORIGINS") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        chat = ChatSettings.chat(environment)
        let levelName = value("LOG_LEVEL")?.lowercased() ?? "info"
        // Python's names (the old platform's) alongside swift-log's.
        let aliases = ["warn": "warning", "fatal": "critical"]
        guard let level = Logger.Level(rawValue: aliases[levelName] ?? levelName) else {
            throw ConfigurationError(
                variable: "LOG_LEVEL", message: "must be trace, debug, info, notice, warning, error or critical")
        }
        logLevel = level
        guard let format = LogFormat(rawValue: value("LOG_FORMAT")?.lowercased() ?? "json") else {
            throw ConfigurationError(variable: "LOG_FORMAT", message: "must be json or text")
        }
        logFormat = format
        qdrantSyncInterval = .seconds(try integer("QDRANT_SYNC_INTERVAL_SECONDS", default: 2, range: 1...86_400))
        feedPollInterval = .milliseconds(try integer("FEED_POLL_INTERVAL_MS", default: 500, range: 50...600_000))
        feedRetention = .seconds(3600 * (try integer("FEED_RETENTION_HOURS", default: 24, range: 1...8760)))
        if let algorithm = value("ALGORITHM"), algorithm != "HS256" {
            throw ConfigurationError(variable: "ALGORITHM", message: "only HS256 is supported")
        }
        let key = value("SECRET_KEY")
        if deployment == .production, key == nil {
            throw ConfigurationError(variable: "SECRET_KEY", message: "is required in production")
        }
        // The JWT library traps on shorter HS256 keys; pad nothing, demand length.
        if let key, key.utf8.count < TokenService.minimumKeyBytes {
            throw ConfigurationError(variable: "SECRET_KEY", message: "must be at least 32 bytes")
        }
        secretKey = key
    }
}
