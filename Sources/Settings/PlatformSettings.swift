import ConcurrencySupport
import Foundation
import LiveWeb
import Origins
import Store

/// The settings an admin changes at run time (`GET|PUT /api/admin/dashboard/settings`, issue 17): kept in the
/// store, so every replica reads the same values, and laid over the environment, so a stored value wins over the
/// variable of the same name and clearing it brings the variable's value back.
///
/// Values are stored in the environment's text form and checked by the very parsers that read the environment
/// (``CrawlSettings/init(_:)``, ``LiveWebSettings/init(_:)``), so a value the API accepts is one `aigov serve`
/// would accept at start. What guards the machine stays in the environment only: the SSRF allow-list
/// (`CRAWL_ALLOW_HOSTS`), byte and time budgets, and the web search provider's address and key.
public enum PlatformSettings {
    /// How a setting's JSON value looks.
    public enum Kind: Sendable, Equatable {
        case flag, integer, number, text
        /// A JSON array of regular expressions (comma-separated in the environment).
        case patterns
    }

    /// One setting: its variable, its JSON key (the variable in lower case) and its kind.
    public struct Definition: Sendable, Equatable {
        public let variable: String
        public let kind: Kind
        public var key: String { variable.lowercased() }
    }

    /// Every setting that can be changed at run time.
    public static let definitions: [Definition] = [
        Definition(variable: "CRAWL_MAX_DEPTH", kind: .integer),
        Definition(variable: "CRAWL_MAX_PAGES_PER_RUN", kind: .integer),
        Definition(variable: "CRAWL_TIMEOUT_SECONDS", kind: .integer),
        Definition(variable: "CRAWL_RETRY_ATTEMPTS", kind: .integer),
        Definition(variable: "CRAWL_DELAY_BETWEEN_REQUESTS", kind: .number),
        Definition(variable: "CRAWL_RESPECT_ROBOTS_TXT", kind: .flag),
        Definition(variable: "CRAWL_USER_AGENT", kind: .text),
        Definition(variable: "CRAWL_ALLOWED_PATHS", kind: .patterns),
        Definition(variable: "CRAWL_EXCLUDED_PATHS", kind: .patterns),
        Definition(variable: "ENABLE_TOPIC_FILTERING", kind: .flag),
        Definition(variable: "POLICY_KEYWORD_THRESHOLD", kind: .number),
        Definition(variable: "ENABLE_PRIORITY_QUEUE", kind: .flag),
        Definition(variable: "ENABLE_REALTIME_WEB", kind: .flag),
        Definition(variable: "MIN_RESULTS", kind: .integer),
        Definition(variable: "MIN_SIMILARITY_THRESHOLD", kind: .number),
        Definition(variable: "REALTIME_WEB_MAX_SECONDS", kind: .integer),
        Definition(variable: "REALTIME_WEB_MAX_PAGES", kind: .integer),
    ]

    /// The definition of JSON key `key`, or nil.
    public static func definition(key: String) -> Definition? {
        definitions.first { $0.key == key }
    }

    /// `environment` with the stored values on top (stored keys that are not settings are ignored).
    public static func merged(_ environment: EnvironmentValues, stored: [String: String]) -> EnvironmentValues {
        var variables = environment.variables
        for definition in definitions {
            if let value = stored[definition.variable] { variables[definition.variable] = value }
        }
        return EnvironmentValues(variables)
    }

    /// The crawl and live web settings `environment` and `stored` give together; throws ``ConfigurationError`` for
    /// the first unusable one.
    public static func resolve(
        _ environment: EnvironmentValues, stored: [String: String]
    ) throws -> (crawl: CrawlSettings, liveWeb: LiveWebSettings) {
        let merged = merged(environment, stored: stored)
        return (try CrawlSettings(merged), try LiveWebSettings(merged))
    }

    /// The settings as they are now: ``resolve(_:stored:)`` over `store`'s stored values, read afresh, so a change
    /// made through any replica applies to the next crawl or query of every one.
    public static func current(
        _ environment: EnvironmentValues, store: any MetadataStore
    ) async throws -> (crawl: CrawlSettings, liveWeb: LiveWebSettings) {
        try resolve(environment, stored: try await store.platformSettings())
    }

    /// The environment-text form of one JSON value of setting `definition`; nil for JSON `null` (clear).
    /// Throws ``ConfigurationError`` (naming the JSON key) for a value of the wrong kind.
    public static func text(of value: SettingValue, for definition: Definition) throws -> String? {
        func wrong(_ expected: String) -> ConfigurationError {
            ConfigurationError(variable: definition.key, message: "must be \(expected)")
        }
        switch (definition.kind, value) {
        case (_, .null): return nil
        case (.flag, .bool(let flag)): return flag ? "true" : "false"
        case (.flag, _): throw wrong("true or false")
        case (.integer, .number(let number)):
            guard number.rounded() == number, abs(number) < 1e15 else { throw wrong("a whole number") }
            return String(Int64(number))
        case (.integer, _): throw wrong("a whole number")
        case (.number, .number(let number)): return String(number)
        case (.number, _): throw wrong("a number")
        case (.text, .string(let text)): return text
        case (.text, _): throw wrong("a string")
        case (.patterns, .strings(let patterns)):
            guard patterns.allSatisfy({ !$0.contains(",") }) else { throw wrong("regular expressions without commas") }
            return patterns.joined(separator: ",")
        case (.patterns, _): throw wrong("an array of regular expressions")
        }
    }

    /// The changes a request asks for, checked: every key a setting, every value of its kind, and the settings
    /// they give together usable. Returns the changes by variable (nil: clear).
    public static func changes(
        _ request: [String: SettingValue], environment: EnvironmentValues, stored: [String: String]
    ) throws -> [String: String?] {
        var changes: [String: String?] = [:]
        var after = stored
        for (key, value) in request.sorted(by: { $0.key < $1.key }) {
            guard let definition = definition(key: key) else {
                throw ConfigurationError(variable: key, message: "is not a setting that can be changed")
            }
            let text = try text(of: value, for: definition)
            changes[definition.variable] = .some(text)
            after[definition.variable] = text
        }
        do {
            _ = try resolve(environment, stored: after)
        } catch let error as ConfigurationError {
            throw ConfigurationError(variable: error.variable.lowercased(), message: error.message)
        }
        return changes
    }

    /// Each setting's effective value as JSON and where it comes from (`store`, `environment` or `default`).
    public static func effective(
        _ environment: EnvironmentValues, stored: [String: String]
    ) throws -> [(key: String, value: SettingValue, origin: String)] {
        let (crawl, live) = try resolve(environment, stored: stored)
        let values: [String: SettingValue] = [
            "CRAWL_MAX_DEPTH": .number(Double(crawl.maxDepth)),
            "CRAWL_MAX_PAGES_PER_RUN": .number(Double(crawl.maxPagesPerRun)),
            "CRAWL_TIMEOUT_SECONDS": .number(crawl.timeout.timeInterval),
            "CRAWL_RETRY_ATTEMPTS": .number(Double(crawl.retryAttempts)),
            "CRAWL_DELAY_BETWEEN_REQUESTS": .number(crawl.delayBetweenRequests.timeInterval),
            "CRAWL_RESPECT_ROBOTS_TXT": .bool(crawl.respectRobotsTxt),
            "CRAWL_USER_AGENT": .string(crawl.userAgent),
            "CRAWL_ALLOWED_PATHS": .strings(crawl.allowedPaths),
            "CRAWL_EXCLUDED_PATHS": .strings(crawl.excludedPaths),
            "ENABLE_TOPIC_FILTERING": .bool(crawl.topicFiltering),
            "POLICY_KEYWORD_THRESHOLD": .number(crawl.policyKeywordThreshold),
            "ENABLE_PRIORITY_QUEUE": .bool(crawl.priorityQueue),
            "ENABLE_REALTIME_WEB": .bool(live.enabled),
            "MIN_RESULTS": .number(Double(live.minResults)),
            "MIN_SIMILARITY_THRESHOLD": .number(live.minSimilarity),
            "REALTIME_WEB_MAX_SECONDS": .number(live.maxDuration.timeInterval),
            "REALTIME_WEB_MAX_PAGES": .number(Double(live.maxPages)),
        ]
        return definitions.map { definition in
            let origin =
                stored[definition.variable] != nil
                ? "store" : environment.text(definition.variable) != nil ? "environment" : "default"
            return (definition.key, values[definition.variable] ?? .null, origin)
        }
    }
}

/// A setting's value as JSON carries it.
public enum SettingValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case strings([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let list = try? container.decode([String].self) {
            self = .strings(list)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a setting is null, a boolean, a number, a string or strings")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                try container.encode(Int64(number))
            } else {
                try container.encode(number)
            }
        case .string(let text): try container.encode(text)
        case .strings(let list): try container.encode(list)
        }
    }
}
