import Foundation

/// A web origin fetched on a schedule (an admin-curated source URL). The table exists from migration 2;
/// the fetcher that uses it comes in a later issue.
public struct Origin: Sendable, Equatable {
    public var id: Int64
    public var url: String
    public var title: String?
    public var source: String?
    /// How often to fetch; positive.
    public var frequencyHours: Int
    public var lastFetchedAt: Date?
    /// A short outcome of the last fetch (`ok`, `http_404`, ...), never an upstream body.
    public var lastStatus: String?
    public var enabled: Bool

    /// An origin value as read from the store.
    public init(
        id: Int64, url: String, title: String?, source: String?, frequencyHours: Int, lastFetchedAt: Date?,
        lastStatus: String?, enabled: Bool
    ) {
        self.id = id
        self.url = url
        self.title = title
        self.source = source
        self.frequencyHours = frequencyHours
        self.lastFetchedAt = lastFetchedAt
        self.lastStatus = lastStatus
        self.enabled = enabled
    }
}
