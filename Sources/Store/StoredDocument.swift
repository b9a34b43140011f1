import Foundation

/// A document row: what the store knows about one ingested document (ARCHITECTURE.md section 3), without its text.
public struct StoredDocument: Sendable, Equatable {
    /// Stable id chosen by the caller or derived from the source path/URL.
    public var id: String
    public var title: String
    public var source: String
    public var url: String?
    /// The sniffed input type (`pdf`, `html`, `markdown`, ...), as the ingest pipeline names it.
    public var type: String
    /// SHA-256 of the normalised text: equal hashes mean re-ingesting would change nothing.
    public var contentHash: String
    /// Front matter, JSON `metadata` or PDF information; stored as a JSON object.
    public var metadata: [String: String]
    /// Set by the store on first commit; kept on later commits of the same id.
    public var createdAt: Date
    /// Set by the store on every commit.
    public var updatedAt: Date

    /// A document value; `createdAt`/`updatedAt` are replaced by the store's clock on commit.
    public init(
        id: String, title: String, source: String, url: String? = nil, type: String, contentHash: String,
        metadata: [String: String] = [:], createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.title = title
        self.source = source
        self.url = url
        self.type = type
        self.contentHash = contentHash
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
