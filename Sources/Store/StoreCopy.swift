/// Copies every row of one store into another (`aigov db copy`): documents, chunks, users (with their password
/// hashes), origins, jobs and the pending Qdrant outbox, keeping ids and timestamps. Works between any two
/// `MetadataStore`s, so SQLite to PostgreSQL and back. Each batch is one transaction in the target: a failure
/// leaves the batches before it, and rerunning with `replace` starts over.
public struct StoreCopier: Sendable {
    /// Rows per batch (per table).
    public var batchSize: Int

    /// A copier writing `batchSize` rows per transaction.
    public init(batchSize: Int = 500) {
        self.batchSize = max(1, batchSize)
    }

    /// Copies `source` into `target`, which must have no rows unless `replace` is true: then its rows are deleted
    /// first. Calls `progress` after each batch with the rows copied so far. Returns what was copied.
    @discardableResult
    public func copy(
        from source: any MetadataStore, to target: any MetadataStore, replace: Bool,
        progress: @Sendable (StoreTableCounts) -> Void = { _ in }
    ) async throws -> StoreTableCounts {
        let existing = try await target.tableCounts()
        if existing.total > 0 {
            guard replace else {
                throw StoreError(
                    .conflict,
                    "the target store is not empty (\(existing.total) rows): use --force to replace its contents")
            }
            try await target.removeAllRows()
        }
        var copied = StoreTableCounts(documents: 0, chunks: 0, users: 0, origins: 0, jobs: 0, outbox: 0)

        var lastDocument: String?
        while true {
            let batch = try await source.exportDocuments(after: lastDocument, limit: batchSize)
            guard let last = batch.last else { break }
            try await target.importRows(StoreRows(documents: batch))
            lastDocument = last.id
            copied.documents += batch.count
            progress(copied)
        }
        var lastChunk: String?
        while true {
            let batch = try await source.exportChunks(after: lastChunk, limit: batchSize)
            guard let last = batch.last else { break }
            try await target.importRows(StoreRows(chunks: batch))
            lastChunk = last.chunkID
            copied.chunks += batch.count
            progress(copied)
        }
        // Users and origins are few (admins and curated URLs): one batch each.
        let users = try await source.users()
        let origins = try await source.origins()
        try await target.importRows(StoreRows(users: users, origins: origins))
        copied.users = users.count
        copied.origins = origins.count
        progress(copied)
        var lastJob: String?
        while true {
            let batch = try await source.exportJobs(after: lastJob, limit: batchSize)
            guard let last = batch.last else { break }
            try await target.importRows(StoreRows(jobs: batch))
            lastJob = last.id
            copied.jobs += batch.count
            progress(copied)
        }
        var lastEntry: Int64?
        while true {
            let batch = try await source.exportOutbox(after: lastEntry, limit: batchSize)
            guard let last = batch.last else { break }
            try await target.importRows(StoreRows(outbox: batch))
            lastEntry = last.id
            copied.outbox += batch.count
            progress(copied)
        }
        return copied
    }
}
