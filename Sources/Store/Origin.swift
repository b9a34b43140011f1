import Foundation

/// A web origin fetched on a schedule: a regulator's page or PDF an admin registered, with how to crawl it
/// (issue 17). Columns of migration 2, extended by migration 5.
public struct Origin: Sendable, Equatable {
    public var id: Int64
    public var url: String
    /// The origin's name (`name` in the API).
    public var title: String?
    public var source: String?
    /// How often to fetch; at least 1.
    public var frequencyHours: Int
    /// When the last crawl ended (`last_run` in the API).
    public var lastFetchedAt: Date?
    /// A short outcome of the last crawl (`completed`, `failed: TIMEOUT`, ...), never an upstream body.
    public var lastStatus: String?
    public var enabled: Bool
    /// ISO 3166-1 alpha-2, upper-case (`EU` is accepted for the European Union).
    public var countryCode: String?
    public var topicTags: [String]
    /// 1 (lowest) to 10.
    public var crawlPriority: Int
    /// Regular expressions a page's path must match (one of them) to be crawled; empty: every path.
    public var allowedPathPatterns: [String]
    /// Regular expressions whose paths are never crawled.
    public var excludedPathPatterns: [String]
    public var sitemapURL: String?
    /// Link hops from the origin URL; 0 is the origin page alone. Nil: `CRAWL_MAX_DEPTH`.
    public var maxDepth: Int?
    /// Pages per crawl. Nil: `CRAWL_MAX_PAGES_PER_RUN`.
    public var maxPages: Int?
    /// When the scheduler next runs it; nil: at once.
    public var nextRun: Date?

    /// An origin value as read from the store.
    public init(
        id: Int64, url: String, title: String?, source: String?, frequencyHours: Int, lastFetchedAt: Date?,
        lastStatus: String?, enabled: Bool, countryCode: String? = nil, topicTags: [String] = [],
        crawlPriority: Int = 5, allowedPathPatterns: [String] = [], excludedPathPatterns: [String] = [],
        sitemapURL: String? = nil, maxDepth: Int? = nil, maxPages: Int? = nil, nextRun: Date? = nil
    ) {
        self.id = id
        self.url = url
        self.title = title
        self.source = source
        self.frequencyHours = frequencyHours
        self.lastFetchedAt = lastFetchedAt
        self.lastStatus = lastStatus
        self.enabled = enabled
        self.countryCode = countryCode
        self.topicTags = topicTags
        self.crawlPriority = crawlPriority
        self.allowedPathPatterns = allowedPathPatterns
        self.excludedPathPatterns = excludedPathPatterns
        self.sitemapURL = sitemapURL
        self.maxDepth = maxDepth
        self.maxPages = maxPages
        self.nextRun = nextRun
    }
}

/// What an admin sets on an origin; the store assigns the id and keeps the run state.
public struct OriginDraft: Sendable, Equatable {
    public var url: String
    public var name: String?
    public var source: String?
    public var frequencyHours: Int
    public var enabled: Bool
    public var countryCode: String?
    public var topicTags: [String]
    public var crawlPriority: Int
    public var allowedPathPatterns: [String]
    public var excludedPathPatterns: [String]
    public var sitemapURL: String?
    public var maxDepth: Int?
    public var maxPages: Int?

    public init(
        url: String, name: String? = nil, source: String? = nil, frequencyHours: Int = 24, enabled: Bool = true,
        countryCode: String? = nil, topicTags: [String] = [], crawlPriority: Int = 5,
        allowedPathPatterns: [String] = [], excludedPathPatterns: [String] = [], sitemapURL: String? = nil,
        maxDepth: Int? = nil, maxPages: Int? = nil
    ) {
        self.url = url
        self.name = name
        self.source = source
        self.frequencyHours = frequencyHours
        self.enabled = enabled
        self.countryCode = countryCode
        self.topicTags = topicTags
        self.crawlPriority = crawlPriority
        self.allowedPathPatterns = allowedPathPatterns
        self.excludedPathPatterns = excludedPathPatterns
        self.sitemapURL = sitemapURL
        self.maxDepth = maxDepth
        self.maxPages = maxPages
    }

    /// Checks every field, so a bad origin is refused at the write with the field named, never at a later crawl.
    ///
    /// - Throws: `invalid_input` naming the first field that breaks its rule.
    public func validated() throws -> OriginDraft {
        func refuse(_ message: String) -> StoreError { StoreError(.invalidInput, message) }
        var draft = self
        draft.url = url.trimmingCharacters(in: .whitespaces)
        guard Self.isWebURL(draft.url) else { throw refuse("url must be an absolute http or https URL") }
        guard draft.url.utf8.count <= 2048 else { throw refuse("url must be at most 2048 bytes") }
        if let sitemap = sitemapURL?.trimmingCharacters(in: .whitespaces), !sitemap.isEmpty {
            guard Self.isWebURL(sitemap) else { throw refuse("sitemap_url must be an absolute http or https URL") }
            draft.sitemapURL = sitemap
        } else {
            draft.sitemapURL = nil
        }
        draft.name = name?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let name = draft.name, name.isEmpty || name.count > 200 {
            throw refuse("name must be 1 to 200 characters")
        }
        guard (1...8760).contains(frequencyHours) else { throw refuse("frequency_hours must be between 1 and 8760") }
        guard (1...10).contains(crawlPriority) else { throw refuse("crawl_priority must be between 1 and 10") }
        if let maxDepth, !(0...20).contains(maxDepth) { throw refuse("max_depth must be between 0 and 20") }
        if let maxPages, !(1...100_000).contains(maxPages) { throw refuse("max_pages must be between 1 and 100000") }
        if let code = countryCode?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            let upper = code.uppercased()
            guard upper.count == 2, upper.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
                throw refuse("country_code must be two letters (ISO 3166-1 alpha-2)")
            }
            draft.countryCode = upper
        } else {
            draft.countryCode = nil
        }
        draft.topicTags = topicTags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard draft.topicTags.count <= 32, draft.topicTags.allSatisfy({ $0.count <= 64 }) else {
            throw refuse("topic_tags holds at most 32 tags of at most 64 characters")
        }
        for (field, patterns) in [
            ("allowed_path_patterns", allowedPathPatterns), ("excluded_path_patterns", excludedPathPatterns),
        ] {
            guard patterns.count <= 64 else { throw refuse("\(field) holds at most 64 patterns") }
            for pattern in patterns {
                guard !pattern.isEmpty, pattern.utf8.count <= 512 else {
                    throw refuse("\(field) patterns must be 1 to 512 bytes")
                }
                do {
                    _ = try Regex(pattern)
                } catch {
                    throw refuse("\(field) holds an invalid regular expression: \(pattern.prefix(80))")
                }
            }
        }
        return draft
    }

    private static func isWebURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return components.user == nil && components.password == nil
    }
}
