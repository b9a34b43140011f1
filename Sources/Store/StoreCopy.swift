import Foundation

/// Copies every row of one store into another (`aigov db copy`): documents, chunks, users (with their password
/// hashes), origins, the dashboard's settings, jobs and the pending Qdrant outbox, keeping ids and timestamps. Works between any two
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

        try await copyPages(
            { try await source.exportDocuments(after: $0, limit: batchSize) }, key: \.id, into: target,
            rows: { StoreRows(documents: $0) }, counted: \.documents, &copied, progress)
        try await copyPages(
            { try await source.exportChunks(after: $0, limit: batchSize) }, key: \.chunkID, into: target,
            rows: { StoreRows(chunks: $0) }, counted: \.chunks, &copied, progress)
        // Users and origins are few (admins and curated URLs): one batch each.
        let users = try await source.users()
        let origins = try await source.origins()
        try await target.importRows(StoreRows(users: users, origins: origins))
        copied.users = users.count
        copied.origins = origins.count
        progress(copied)
        // The settings an admin changed at run time: a handful of keys, without which the copy would crawl and
        // answer differently.
        let settings = try await source.platformSettings()
        if !settings.isEmpty {
            _ = try await target.savePlatformSettings(settings.mapValues { Optional($0) }, now: Date())
        }
        try await copyPages(
            { try await source.exportJobs(after: $0, limit: batchSize) }, key: \.id, into: target,
            rows: { StoreRows(jobs: $0) }, counted: \.jobs, &copied, progress)
        try await copyPages(
            { try await source.exportOutbox(after: $0, limit: batchSize) }, key: \.id, into: target,
            rows: { StoreRows(outbox: $0) }, counted: \.outbox, &copied, progress)
        return copied
    }

    /// Copies one table in key order, a page per target transaction: `page(after)` returns the rows after the
    /// last key of the previous page (nil for the first), an empty page ends the table.
    private func copyPages<Row, Key>(
        _ page: (Key?) async throws -> [Row], key: KeyPath<Row, Key>, into target: any MetadataStore,
        rows: ([Row]) -> StoreRows, counted: WritableKeyPath<StoreTableCounts, Int>,
        _ copied: inout StoreTableCounts, _ progress: @Sendable (StoreTableCounts) -> Void
    ) async throws {
        var last: Key?
        while true {
            let batch = try await page(last)
            guard let final = batch.last else { return }
            try await target.importRows(rows(batch))
            last = final[keyPath: key]
            copied[keyPath: counted] += batch.count
            progress(copied)
        }
    }
}
