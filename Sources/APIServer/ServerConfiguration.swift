import Answering
import Foundation
import Logging
import Qdrant
import Retrieval

/// A configuration problem that stops the server from starting.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let variable: String
    public let message: String
    public var description: String { "\(variable): \(message)" }
}

/// The server's settings from the environment, under the old platform's names (ARCHITECTURE.md section 10).
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
    /// Megabytes of question vectors kept in memory (`QUERY_CACHE_MB`, default 16, 0 for none).
    public var queryCacheMegabytes: Int
    /// Proxies whose `X-Forwarded-For` names the client (`FORWARDED_ALLOW_IPS`, default `127.0.0.1`).
    public var trustedProxies: TrustedProxies
    public var groqAPIKey: String?
    public var groqBaseURL: String
    public var groqModel: String
    /// The chat model to answer with: set when `GROQ_API_KEY` or `GROQ_BASE_URL` is (a local llama.cpp needs
    /// no key); nil means extractive answers only.
    public var chat: ChatConfiguration?
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// Where dense search runs (`RETRIEVAL_BACKEND`).
    public enum RetrievalBackend: String, Sendable { case local, qdrant }

    /// The Qdrant mirror's collection: set when `QDRANT_URL` is (with `QDRANT_API_KEY`, `QDRANT_COLLECTION`,
    /// `QDRANT_TIMEOUT_SECONDS`).
    public var qdrant: QdrantConfiguration?
    /// Seconds between the mirror loop's looks at the outbox (`QDRANT_SYNC_INTERVAL_SECONDS`, default 2).
    public var qdrantSyncInterval: Duration
    /// `local` (default) or `qdrant`: dense search from the Qdrant collection, BM25 and the fallback local.
    public var retrievalBackend: RetrievalBackend
    /// Whether `QDRANT_URL` is set.
    public var qdrantConfigured: Bool { qdrant != nil }
    /// Cap on JSON request bodies (ARCHITECTURE.md section 11).
    public var maxJSONBodyBytes = ServerConfiguration.defaultMaxJSONBodyBytes
    /// Cap on multipart uploads (ARCHITECTURE.md section 11).
    public var maxUploadBytes = ServerConfiguration.defaultMaxUploadBytes
    /// The caps a server starts with (tests lower them); `/openapi.json` quotes them.
    static let defaultMaxJSONBodyBytes = 1 << 20
    static let defaultMaxUploadBytes = 50 << 20

    /// Reads `variables`; a `SECRET_KEY` shorter than 32 bytes is an error, and so is none in production
    /// (replicas must share one key, which a key file generated per machine would not give).
    public init(variables: [String: String]) throws {
        func value(_ name: String) -> String? {
            guard let v = variables[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let n = Int(text), range.contains(n) else {
                throw ConfigurationError(variable: name, message: "must be a whole number in \(range)")
            }
            return n
        }
        let environmentName = value("ENVIRONMENT")?.lowercased() ?? "development"
        guard let environment = Environment(rawValue: environmentName) else {
            throw ConfigurationError(variable: "ENVIRONMENT", message: "must be development or production")
        }
        self.environment = environment
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
        queryCacheMegabytes = try Self.queryCacheMegabytes(variables: variables)
        // Set but empty trusts no proxy; unset is uvicorn's default.
        trustedProxies = try TrustedProxies(
            parsing: variables["FORWARDED_ALLOW_IPS"] ?? TrustedProxies.defaultValue)
        corsOrigins = (value("CORS_ORIGINS") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        groqAPIKey = value("GROQ_API_KEY")
        groqBaseURL = value("GROQ_BASE_URL") ?? "https://api.groq.com/openai/v1"
        groqModel = value("GROQ_MODEL") ?? "openai/gpt-oss-20b"
        chat = Self.chatConfiguration(variables: variables)
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
        qdrant = try Self.qdrantConfiguration(variables: variables)
        qdrantSyncInterval = .seconds(try integer("QDRANT_SYNC_INTERVAL_SECONDS", default: 2, range: 1...86_400))
        retrievalBackend = try Self.retrievalBackend(variables: variables, qdrantConfigured: qdrant != nil)
        if let algorithm = value("ALGORITHM"), algorithm != "HS256" {
            throw ConfigurationError(variable: "ALGORITHM", message: "only HS256 is supported")
        }
        let key = value("SECRET_KEY")
        if environment == .production, key == nil {
            throw ConfigurationError(variable: "SECRET_KEY", message: "is required in production")
        }
        // The JWT library traps on shorter HS256 keys; pad nothing, demand length.
        if let key, key.utf8.count < TokenService.minimumKeyBytes {
            throw ConfigurationError(variable: "SECRET_KEY", message: "must be at least 32 bytes")
        }
        secretKey = key
    }

    /// The Qdrant collection named by `QDRANT_URL`, `QDRANT_API_KEY`, `QDRANT_COLLECTION` (default
    /// `aigov_chunks`) and `QDRANT_TIMEOUT_SECONDS` (per request, default 10); nil when `QDRANT_URL` is unset.
    /// Throws when the URL, collection name or key cannot be used (the message never holds the key).
    public static func qdrantConfiguration(variables: [String: String]) throws -> QdrantConfiguration? {
        func value(_ name: String) -> String? {
            guard let v = variables[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        guard let url = value("QDRANT_URL") else { return nil }
        var timeout = 10
        if let text = value("QDRANT_TIMEOUT_SECONDS") {
            guard let seconds = Int(text), (1...600).contains(seconds) else {
                throw ConfigurationError(
                    variable: "QDRANT_TIMEOUT_SECONDS", message: "must be a whole number in 1...600")
            }
            timeout = seconds
        }
        let configuration = QdrantConfiguration(
            url: url, apiKey: value("QDRANT_API_KEY"),
            collection: value("QDRANT_COLLECTION") ?? QdrantConfiguration.defaultCollection,
            requestTimeout: .seconds(timeout))
        do {
            _ = try QdrantClient(configuration: configuration)
        } catch {
            let variable =
                error.message.hasPrefix("QDRANT_COLLECTION")
                ? "QDRANT_COLLECTION" : error.message.hasPrefix("QDRANT_API_KEY") ? "QDRANT_API_KEY" : "QDRANT_URL"
            throw ConfigurationError(variable: variable, message: error.message)
        }
        return configuration
    }

    /// The Qdrant settings search uses (the collection, with the search timeout), or nil when search stays on
    /// the local index: the one place that turns `RETRIEVAL_BACKEND` into a search path, for the server
    /// (``searchQdrant``) and the CLI alike.
    public static func searchQdrant(variables: [String: String]) throws -> QdrantConfiguration? {
        let qdrant = try qdrantConfiguration(variables: variables)
        return searchQdrant(
            backend: try retrievalBackend(variables: variables, qdrantConfigured: qdrant != nil), qdrant: qdrant)
    }

    static func searchQdrant(backend: RetrievalBackend, qdrant: QdrantConfiguration?) -> QdrantConfiguration? {
        backend == .qdrant ? qdrant?.forSearch : nil
    }

    /// The Qdrant settings search uses, or nil for the local index (see ``searchQdrant(variables:)``).
    public var searchQdrant: QdrantConfiguration? { Self.searchQdrant(backend: retrievalBackend, qdrant: qdrant) }

    /// `RETRIEVAL_BACKEND`: `local` (the default) or `qdrant`, which needs `QDRANT_URL`.
    public static func retrievalBackend(
        variables: [String: String], qdrantConfigured: Bool
    ) throws -> RetrievalBackend {
        let name = variables["RETRIEVAL_BACKEND"]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard let backend = RetrievalBackend(rawValue: name.isEmpty ? "local" : name) else {
            throw ConfigurationError(variable: "RETRIEVAL_BACKEND", message: "must be local or qdrant")
        }
        guard backend == .local || qdrantConfigured else {
            throw ConfigurationError(variable: "RETRIEVAL_BACKEND", message: "qdrant needs QDRANT_URL")
        }
        return backend
    }

    /// The chat model named by `GROQ_API_KEY`, `GROQ_BASE_URL` and `GROQ_MODEL`: configured when a key or a
    /// base URL is set (a local llama.cpp needs no key); nil means extractive answers only.
    public static func chatConfiguration(variables: [String: String]) -> ChatConfiguration? {
        func value(_ name: String) -> String? {
            guard let v = variables[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        let key = value("GROQ_API_KEY")
        let base = value("GROQ_BASE_URL")
        guard key != nil || base != nil else { return nil }
        return ChatConfiguration(
            baseURL: base ?? "https://api.groq.com/openai/v1", apiKey: key,
            model: value("GROQ_MODEL") ?? "openai/gpt-oss-20b")
    }
}
