import Foundation

/// The optional URL priority queue of a crawl (`ENABLE_PRIORITY_QUEUE`, off by default as in the old platform):
/// instead of breadth-first order, the crawl takes next the queued URL with the highest score, so a page budget
/// (`max_pages`) is spent on the pages most likely to hold policy text. Equal scores keep discovery order.
///
/// The rules: +3 when the path names a policy subject (`regulation`, `law`, `act`, `policy`, `guidance`,
/// `framework`, `strategy`, `ai`, ...), +2 for a PDF, -3 for the parts of a site that hold no policy text (news
/// listings, events, jobs, search, login, tags, feeds, media), -1 per link hop from the origin, -1 for a query
/// string (listings and filters).
public enum URLPriority {
    static let subjectWords: Set<String> = [
        "ai", "artificial", "intelligence", "regulation", "regulations", "law", "laws", "act", "acts", "policy",
        "policies", "guidance", "guideline", "guidelines", "framework", "frameworks", "strategy", "governance",
        "standard", "standards", "legislation", "directive", "code", "principles", "ethics", "risk", "privacy",
        "data", "protection", "eli", "oj", "legal-content",
    ]
    static let lowValueWords: Set<String> = [
        "news", "events", "event", "careers", "jobs", "search", "login", "signin", "register", "tag", "tags", "feed",
        "rss", "media", "gallery", "video", "videos", "press", "contact", "cookies", "cookie", "calendar",
    ]

    /// The score of `url` found `depth` hops from the origin.
    public static func score(_ url: URL, depth: Int) -> Int {
        let path = url.path(percentEncoded: false).lowercased()
        let words = Set(path.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" }).map(String.init))
            .union(path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        var score = -depth
        if !words.isDisjoint(with: subjectWords) { score += 3 }
        if path.hasSuffix(".pdf") { score += 2 }
        if !words.isDisjoint(with: lowValueWords) { score -= 3 }
        if url.query != nil { score -= 1 }
        return score
    }
}
