import Foundation

/// Where a background job is in its life.
public enum JobStatus: String, Sendable, Equatable, CaseIterable {
    case queued
    case running
    case succeeded
    case failed
}

/// A background job row (an ingest started from the API, an origin fetch).
public struct Job: Sendable, Equatable {
    /// A UUID string assigned by the store.
    public var id: String
    /// What the job does (`ingest`, `fetch_origin`, ...).
    public var kind: String
    public var status: JobStatus
    /// Job parameters; stored as a JSON object.
    public var payload: [String: String]
    public var createdAt: Date
    /// Set when the job first moves to `running`.
    public var startedAt: Date?
    /// Set when the job moves to `succeeded` or `failed`.
    public var finishedAt: Date?
    /// A short, secret-free reason for `failed`.
    public var error: String?

    /// A job value as read from the store.
    public init(
        id: String, kind: String, status: JobStatus, payload: [String: String], createdAt: Date, startedAt: Date?,
        finishedAt: Date?, error: String?
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.payload = payload
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
    }
}
