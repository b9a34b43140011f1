import Foundation

/// Where a crawl job is in its life (issue 17).
public enum CrawlJobStatus: String, Sendable, Equatable, CaseIterable {
    case queued, running, completed, failed, cancelled

    /// Whether the job has ended.
    public var isFinal: Bool { self == .completed || self == .failed || self == .cancelled }
}

/// What started a crawl job.
public enum CrawlTrigger: String, Sendable, Equatable, CaseIterable {
    case scheduler, api, cli
}

/// The counts a crawl job reports, as the old platform's dashboard named them.
public struct CrawlCounts: Sendable, Equatable {
    public var pagesAttempted = 0
    public var pagesSucceeded = 0
    public var pagesNotModified = 0
    public var pagesFailed = 0
    public var pagesRobotsDisallowed = 0
    public var documentsAdded = 0
    public var documentsUpdated = 0
    public var documentsUnchanged = 0
    public var documentsRemoved = 0
    public var chunksEmbedded = 0
    /// Pages fetched whole but set aside by the topic filter (`ENABLE_TOPIC_FILTERING`): not ingested.
    public var pagesIrrelevant = 0

    public init() {}

    /// Pages kept over pages fetched whole (kept + set aside by the topic filter; with the filter off every page
    /// fetched whole is kept); nil when no page was fetched whole.
    public var relevanceRatio: Double? {
        let judged = pagesSucceeded + pagesIrrelevant
        return judged == 0 ? nil : Double(pagesSucceeded) / Double(judged)
    }

    /// The counts in column order (the one order both stores write and read them in).
    var columns: [Int] {
        [
            pagesAttempted, pagesSucceeded, pagesNotModified, pagesFailed, pagesRobotsDisallowed, documentsAdded,
            documentsUpdated, documentsUnchanged, documentsRemoved, chunksEmbedded, pagesIrrelevant,
        ]
    }

    init(columns: [Int]) {
        pagesAttempted = columns[0]
        pagesSucceeded = columns[1]
        pagesNotModified = columns[2]
        pagesFailed = columns[3]
        pagesRobotsDisallowed = columns[4]
        documentsAdded = columns[5]
        documentsUpdated = columns[6]
        documentsUnchanged = columns[7]
        documentsRemoved = columns[8]
        chunksEmbedded = columns[9]
        pagesIrrelevant = columns[10]
    }

    static let columnNames = [
        "pages_attempted", "pages_succeeded", "pages_not_modified", "pages_failed", "pages_robots_disallowed",
        "documents_added", "documents_updated", "documents_unchanged", "documents_removed", "chunks_embedded",
        "pages_irrelevant",
    ]
}

/// One failed page of a crawl: its class (`TIMEOUT`, `HTTP_ERROR`, ...), the URL and a short message (never a
/// response body).
public struct CrawlPageError: Codable, Sendable, Equatable {
    public var code: String
    public var url: String
    public var message: String

    public init(code: String, url: String, message: String) {
        self.code = code
        self.url = String(url.prefix(2048))
        self.message = String(message.prefix(300))
    }
}

/// A crawl job row.
public struct CrawlJob: Sendable, Equatable {
    public var id: String
    /// Nil once the origin is deleted (the job's record stays).
    public var originID: Int64?
    public var trigger: CrawlTrigger
    public var status: CrawlJobStatus
    /// The replica running it (set when it starts).
    public var owner: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Renewed while the job runs; a running job whose heartbeat is old was abandoned by a replica that died.
    public var heartbeatAt: Date?
    public var counts: CrawlCounts
    /// The failed pages, at most ``maxErrors`` (the counts keep the totals).
    public var errors: [CrawlPageError]
    /// Why the job failed or was cancelled, secret-free.
    public var error: String?

    /// Failed pages kept per job.
    public static let maxErrors = 200

    public init(
        id: String, originID: Int64?, trigger: CrawlTrigger, status: CrawlJobStatus, owner: String?, createdAt: Date,
        startedAt: Date?, finishedAt: Date?, heartbeatAt: Date?, counts: CrawlCounts, errors: [CrawlPageError],
        error: String?
    ) {
        self.id = id
        self.originID = originID
        self.trigger = trigger
        self.status = status
        self.owner = owner
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.heartbeatAt = heartbeatAt
        self.counts = counts
        self.errors = errors
        self.error = error
    }
}

/// What the crawler remembers of a page between runs: its validators for a conditional request, the document it
/// became, and how many runs in a row it was gone.
public struct CrawlPage: Sendable, Equatable {
    /// The canonical URL.
    public var url: String
    public var originID: Int64?
    public var documentID: String?
    public var etag: String?
    public var lastModified: String?
    public var contentHash: String?
    /// The last HTTP status.
    public var lastStatus: Int?
    /// Consecutive runs that found it gone (404 or 410); at two its document is removed.
    public var missingRuns: Int
    public var fetchedAt: Date?
    /// The canonical links of the page when it was last fetched whole: a 304 has no body, so a crawl follows these
    /// instead (else every page below an unchanged one would go unvisited, and its changes unseen).
    public var links: [String]

    /// Links kept per page at most.
    public static let maxLinks = 2000

    public init(
        url: String, originID: Int64?, documentID: String? = nil, etag: String? = nil, lastModified: String? = nil,
        contentHash: String? = nil, lastStatus: Int? = nil, missingRuns: Int = 0, fetchedAt: Date? = nil,
        links: [String] = []
    ) {
        self.links = Array(links.prefix(Self.maxLinks))
        self.url = url
        self.originID = originID
        self.documentID = documentID
        self.etag = etag
        self.lastModified = lastModified
        self.contentHash = contentHash
        self.lastStatus = lastStatus
        self.missingRuns = missingRuns
        self.fetchedAt = fetchedAt
    }
}
