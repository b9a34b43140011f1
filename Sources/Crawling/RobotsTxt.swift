import Foundation

/// A site's robots.txt as RFC 9309 reads it, for one crawler.
///
/// Groups start with one or more `user-agent` lines; the rules of every group naming the crawler's product token
/// (case-insensitive) apply together, else those of the `*` groups, else none. A path is allowed unless its most
/// specific matching rule (the longest pattern) is a `disallow`; on a tie `allow` wins. Patterns match from the
/// start of the path (with its query), `*` matches any run of characters, a final `$` anchors the end. `/robots.txt`
/// itself is always allowed. `crawl-delay` (not in the RFC, widely used) is read from the chosen groups, and
/// `sitemap` lines from anywhere. Only the first 500 KiB are parsed, as the RFC allows.
public struct RobotsTxt: Sendable, Equatable {
    /// One `allow` or `disallow` line.
    public struct Rule: Sendable, Equatable {
        public var allow: Bool
        public var pattern: String
    }

    /// The rules that apply to the crawler.
    public private(set) var rules: [Rule]
    /// Seconds to wait between requests to the host, when the site asks.
    public private(set) var crawlDelay: Double?
    /// `Sitemap:` URLs, in file order.
    public private(set) var sitemaps: [String]
    /// False when the file could not be read for a reason that means "disallow everything" (a 5xx answer, or no
    /// answer at all).
    public private(set) var reachable: Bool

    /// The bytes parsed at most.
    public static let maxBytes = 500 * 1024

    /// Every path allowed: no robots.txt (a 4xx answer).
    public static let allowAll = RobotsTxt(rules: [], crawlDelay: nil, sitemaps: [], reachable: true)
    /// Every path disallowed: robots.txt answered 5xx or could not be fetched.
    public static let disallowAll = RobotsTxt(rules: [], crawlDelay: nil, sitemaps: [], reachable: false)

    init(rules: [Rule], crawlDelay: Double?, sitemaps: [String], reachable: Bool) {
        self.rules = rules
        self.crawlDelay = crawlDelay
        self.sitemaps = sitemaps
        self.reachable = reachable
    }

    /// The policy an HTTP answer to `/robots.txt` sets (after redirects): 2xx parses the body, 4xx allows all,
    /// anything else (5xx) disallows all.
    public init(status: Int, body: Data, userAgent: String) {
        switch status {
        case 200..<300:
            self.init(parsing: String(decoding: body.prefix(Self.maxBytes), as: UTF8.self), userAgent: userAgent)
        case 400..<500: self = .allowAll
        default: self = .disallowAll
        }
    }

    /// Parses `text` for the crawler whose `User-Agent` is `userAgent` (its product token, the part before `/`, is
    /// what groups are matched against).
    public init(parsing text: String, userAgent: String) {
        let token = Self.productToken(userAgent)
        var own: [Rule] = []
        var star: [Rule] = []
        var ownDelay: Double?
        var starDelay: Double?
        var foundOwn = false
        var foundStar = false
        var sitemaps: [String] = []
        var agents: [String] = []
        var inRules = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if inRules {
                    agents = []
                    inRules = false
                }
                agents.append(value.lowercased())
                if agents.last == token { foundOwn = true }
                if agents.last == "*" { foundStar = true }
            case "allow", "disallow":
                inRules = true
                // An empty disallow matches nothing; an empty allow too.
                guard !value.isEmpty else { continue }
                let rule = Rule(allow: key == "allow", pattern: value)
                if agents.contains(token) { own.append(rule) }
                if agents.contains("*") { star.append(rule) }
            case "crawl-delay":
                inRules = true
                guard let delay = Double(value), delay.isFinite, delay >= 0 else { continue }
                if agents.contains(token) { ownDelay = ownDelay ?? delay }
                if agents.contains("*") { starDelay = starDelay ?? delay }
            case "sitemap":
                if !value.isEmpty { sitemaps.append(value) }
            default:
                continue
            }
        }
        self.init(
            rules: foundOwn ? own : foundStar ? star : [], crawlDelay: foundOwn ? ownDelay : starDelay,
            sitemaps: sitemaps, reachable: true)
    }

    /// Whether the crawler may fetch `url`.
    public func allows(_ url: URL) -> Bool {
        guard reachable else { return false }
        var path = url.path(percentEncoded: true)
        if path.isEmpty { path = "/" }
        if path == "/robots.txt" { return true }
        if let query = url.query(percentEncoded: true) { path += "?" + query }
        var best: Rule?
        for rule in rules where Self.matches(rule.pattern, path) {
            guard let current = best else {
                best = rule
                continue
            }
            let length = rule.pattern.utf8.count
            let currentLength = current.pattern.utf8.count
            if length > currentLength || (length == currentLength && rule.allow && !current.allow) { best = rule }
        }
        return best?.allow ?? true
    }

    /// The product token of a `User-Agent` value: `aigov` for `aigov/1.0 (+https://...)`, lower-cased.
    static func productToken(_ userAgent: String) -> String {
        String(userAgent.prefix { $0 != "/" && !$0.isWhitespace }).lowercased()
    }

    /// Whether `pattern` matches `path` from its start: `*` any run, a final `$` the end.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var pattern = Substring(pattern)
        let anchored = pattern.hasSuffix("$")
        if anchored { pattern = pattern.dropLast() }
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false)
        let path = Substring(path)
        // The first piece must start the path; each later one is found after the previous, leftmost first, which
        // decides a match (the last piece is then re-checked against the end when anchored).
        guard let first = pieces.first, path.hasPrefix(first) else { return false }
        var rest = path.dropFirst(first.count)
        if pieces.count == 1 { return !anchored || rest.isEmpty }
        for (index, piece) in pieces.enumerated().dropFirst() {
            let isLast = index == pieces.count - 1
            if isLast, anchored { return piece.isEmpty || rest.hasSuffix(piece) }
            if piece.isEmpty { continue }
            guard let found = rest.range(of: piece) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }
}
