import Foundation
import Store

/// A store that forwards every call to `base`, first asking `intercept` with the method's name (`"chunks(ids:)"`,
/// `"markOutboxDone(ids:)"`, ...): a test makes one operation fail (a crash between two steps, a database that went
/// away) by throwing from `intercept`, and every other call reaches the real store.
public final class InterceptingStore: MetadataStore {
    public let base: any MetadataStore
    private let intercept: @Sendable (String) throws -> Void

    /// A store over `base` that runs `intercept` before each call.
    public init(base: any MetadataStore, intercept: @escaping @Sendable (String) throws -> Void) {
        self.base = base
        self.intercept = intercept
    }

    public func migrate() async throws -> MigrationReport {
        try intercept("migrate")
        return try await base.migrate()
    }
    public func document(id: String) async throws -> StoredDocument? {
        try intercept("document(id:)")
        return try await base.document(id: id)
    }
    public func documents(limit: Int, offset: Int) async throws -> [StoredDocument] {
        try intercept("documents(limit:offset:)")
        return try await base.documents(limit: limit, offset: offset)
    }
    public func chunks(documentID: String) async throws -> [StoredChunk] {
        try intercept("chunks(documentID:)")
        return try await base.chunks(documentID: documentID)
    }
    public func chunk(id: String) async throws -> StoredChunk? {
        try intercept("chunk(id:)")
        return try await base.chunk(id: id)
    }
    public func chunk(documentID: String, ordinal: Int) async throws -> StoredChunk? {
        try intercept("chunk(documentID:ordinal:)")
        return try await base.chunk(documentID: documentID, ordinal: ordinal)
    }
    public func chunks(ids: [String]) async throws -> [StoredChunk] {
        try intercept("chunks(ids:)")
        return try await base.chunks(ids: ids)
    }
    public func chunkContentHashes() async throws -> [String: String] {
        try intercept("chunkContentHashes")
        return try await base.chunkContentHashes()
    }
    public func counts() async throws -> StoreCounts {
        try intercept("counts")
        return try await base.counts()
    }
    public func commitDocument(
        _ document: StoredDocument, chunks: [StoredChunk], removedChunkIDs: [String], vectors: [ChunkVectors],
        outbox: Bool
    ) async throws -> CommitSummary {
        try intercept("commitDocument(_:chunks:removedChunkIDs:vectors:outbox:)")
        return try await base.commitDocument(
            document, chunks: chunks, removedChunkIDs: removedChunkIDs, vectors: vectors, outbox: outbox)
    }
    public func deleteDocument(id: String, outbox: Bool) async throws -> [String] {
        try intercept("deleteDocument(id:outbox:)")
        return try await base.deleteDocument(id: id, outbox: outbox)
    }
    public func changes(after sequence: Int64, limit: Int) async throws -> [ChunkChange] {
        try intercept("changes(after:limit:)")
        return try await base.changes(after: sequence, limit: limit)
    }
    public func changeFeedStatus(after sequence: Int64) async throws -> ChangeFeedStatus {
        try intercept("changeFeedStatus(after:)")
        return try await base.changeFeedStatus(after: sequence)
    }
    public func pruneChanges(before date: Date) async throws -> Int {
        try intercept("pruneChanges(before:)")
        return try await base.pruneChanges(before: date)
    }
    public func chunkVectors(ids: [String], model: String) async throws -> [String: ChunkVectors] {
        try intercept("chunkVectors(ids:model:)")
        return try await base.chunkVectors(ids: ids, model: model)
    }
    public func saveChunkVectors(_ vectors: [ChunkVectors]) async throws {
        try intercept("saveChunkVectors(_:)")
        try await base.saveChunkVectors(vectors)
    }
    public func createUser(_ user: NewUser) async throws -> User {
        try intercept("createUser(_:)")
        return try await base.createUser(user)
    }
    public func user(username: String) async throws -> User? {
        try intercept("user(username:)")
        return try await base.user(username: username)
    }
    public func users() async throws -> [User] {
        try intercept("users")
        return try await base.users()
    }
    public func user(id: Int64) async throws -> User? {
        try intercept("user(id:)")
        return try await base.user(id: id)
    }
    public func updateUser(id: Int64, _ change: UserChange) async throws -> User? {
        try intercept("updateUser(id:_:)")
        return try await base.updateUser(id: id, change)
    }
    public func deleteUser(id: Int64) async throws -> Bool {
        try intercept("deleteUser(id:)")
        return try await base.deleteUser(id: id)
    }
    public func pendingOutbox(limit: Int) async throws -> [OutboxEntry] {
        try intercept("pendingOutbox(limit:)")
        return try await base.pendingOutbox(limit: limit)
    }
    public func markOutboxFailed(ids: [Int64], error: String) async throws {
        try intercept("markOutboxFailed(ids:error:)")
        try await base.markOutboxFailed(ids: ids, error: error)
    }
    public func pendingOutboxCount() async throws -> Int {
        try intercept("pendingOutboxCount")
        return try await base.pendingOutboxCount()
    }
    public func withOutboxLease<T: Sendable>(_ body: () async throws -> T) async throws -> T? {
        try intercept("withOutboxLease(_:)")
        return try await base.withOutboxLease(body)
    }
    public func createJob(kind: String, payload: [String: String]) async throws -> Job {
        try intercept("createJob(kind:payload:)")
        return try await base.createJob(kind: kind, payload: payload)
    }
    public func updateJob(id: String, status: JobStatus, error: String?) async throws -> Job {
        try intercept("updateJob(id:status:error:)")
        return try await base.updateJob(id: id, status: status, error: error)
    }
    public func job(id: String) async throws -> Job? {
        try intercept("job(id:)")
        return try await base.job(id: id)
    }
    public func createOrigin(_ draft: OriginDraft) async throws -> Origin {
        try intercept("createOrigin(_:)")
        return try await base.createOrigin(draft)
    }
    public func updateOrigin(id: Int64, _ draft: OriginDraft) async throws -> Origin {
        try intercept("updateOrigin(id:_:)")
        return try await base.updateOrigin(id: id, draft)
    }
    public func deleteOrigin(id: Int64) async throws {
        try intercept("deleteOrigin(id:)")
        try await base.deleteOrigin(id: id)
    }
    public func origin(id: Int64) async throws -> Origin? {
        try intercept("origin(id:)")
        return try await base.origin(id: id)
    }
    public func claimDueOrigin(owner: String, now: Date, lease: Duration) async throws -> Origin? {
        try intercept("claimDueOrigin(owner:now:lease:)")
        return try await base.claimDueOrigin(owner: owner, now: now, lease: lease)
    }
    public func claimOrigin(id: Int64, owner: String, now: Date, lease: Duration) async throws -> Origin? {
        try intercept("claimOrigin(id:owner:now:lease:)")
        return try await base.claimOrigin(id: id, owner: owner, now: now, lease: lease)
    }
    public func renewOriginLease(id: Int64, owner: String, now: Date, lease: Duration) async throws -> Bool {
        try intercept("renewOriginLease(id:owner:now:lease:)")
        return try await base.renewOriginLease(id: id, owner: owner, now: now, lease: lease)
    }
    public func finishOriginRun(
        id: Int64, owner: String, status: String, finishedAt: Date, nextRun: Date
    ) async throws -> Bool {
        try intercept("finishOriginRun(id:owner:status:finishedAt:nextRun:)")
        return try await base.finishOriginRun(
            id: id, owner: owner, status: status, finishedAt: finishedAt, nextRun: nextRun)
    }
    public func createCrawlJob(originID: Int64?, trigger: CrawlTrigger, now: Date) async throws -> CrawlJob {
        try intercept("createCrawlJob(originID:trigger:now:)")
        return try await base.createCrawlJob(originID: originID, trigger: trigger, now: now)
    }
    public func startCrawlJob(id: String, owner: String, now: Date) async throws -> CrawlJob {
        try intercept("startCrawlJob(id:owner:now:)")
        return try await base.startCrawlJob(id: id, owner: owner, now: now)
    }
    public func recordCrawlProgress(
        id: String, owner: String, counts: CrawlCounts, errors: [CrawlPageError], now: Date
    ) async throws -> Bool {
        try intercept("recordCrawlProgress(id:owner:counts:errors:now:)")
        return try await base.recordCrawlProgress(id: id, owner: owner, counts: counts, errors: errors, now: now)
    }
    public func finishCrawlJob(
        id: String, owner: String, status: CrawlJobStatus, counts: CrawlCounts, errors: [CrawlPageError],
        error: String?, now: Date
    ) async throws -> Bool {
        try intercept("finishCrawlJob(id:owner:status:counts:errors:error:now:)")
        return try await base.finishCrawlJob(
            id: id, owner: owner, status: status, counts: counts, errors: errors, error: error, now: now)
    }
    public func cancelCrawlJob(id: String, now: Date) async throws -> CrawlJob {
        try intercept("cancelCrawlJob(id:now:)")
        return try await base.cancelCrawlJob(id: id, now: now)
    }
    public func crawlJob(id: String) async throws -> CrawlJob? {
        try intercept("crawlJob(id:)")
        return try await base.crawlJob(id: id)
    }
    public func crawlJobs(originID: Int64?, limit: Int, offset: Int) async throws -> [CrawlJob] {
        try intercept("crawlJobs(originID:limit:offset:)")
        return try await base.crawlJobs(originID: originID, limit: limit, offset: offset)
    }
    public func failAbandonedCrawlJobs(heartbeatBefore: Date, now: Date) async throws -> [String] {
        try intercept("failAbandonedCrawlJobs(heartbeatBefore:now:)")
        return try await base.failAbandonedCrawlJobs(heartbeatBefore: heartbeatBefore, now: now)
    }
    public func crawlPage(url: String) async throws -> CrawlPage? {
        try intercept("crawlPage(url:)")
        return try await base.crawlPage(url: url)
    }
    public func saveCrawlPage(_ page: CrawlPage) async throws {
        try intercept("saveCrawlPage(_:)")
        try await base.saveCrawlPage(page)
    }
    public func crawledDocumentIDs(originID: Int64) async throws -> [String] {
        try intercept("crawledDocumentIDs(originID:)")
        return try await base.crawledDocumentIDs(originID: originID)
    }
    public func platformSettings() async throws -> [String: String] {
        try intercept("platformSettings")
        return try await base.platformSettings()
    }
    public func savePlatformSettings(_ changes: [String: String?], now: Date) async throws -> [String: String] {
        try intercept("savePlatformSettings(_:now:)")
        return try await base.savePlatformSettings(changes, now: now)
    }
    public func tableCounts() async throws -> StoreTableCounts {
        try intercept("tableCounts")
        return try await base.tableCounts()
    }
    public func exportDocuments(after id: String?, limit: Int) async throws -> [StoredDocument] {
        try intercept("exportDocuments(after:limit:)")
        return try await base.exportDocuments(after: id, limit: limit)
    }
    public func exportChunks(after id: String?, limit: Int) async throws -> [StoredChunk] {
        try intercept("exportChunks(after:limit:)")
        return try await base.exportChunks(after: id, limit: limit)
    }
    public func origins() async throws -> [Origin] {
        try intercept("origins")
        return try await base.origins()
    }
    public func exportJobs(after id: String?, limit: Int) async throws -> [Job] {
        try intercept("exportJobs(after:limit:)")
        return try await base.exportJobs(after: id, limit: limit)
    }
    public func exportOutbox(after id: Int64?, limit: Int) async throws -> [OutboxEntry] {
        try intercept("exportOutbox(after:limit:)")
        return try await base.exportOutbox(after: id, limit: limit)
    }
    public func importRows(_ rows: StoreRows) async throws {
        try intercept("importRows(_:)")
        try await base.importRows(rows)
    }
    public func removeAllRows() async throws {
        try intercept("removeAllRows")
        try await base.removeAllRows()
    }
    public func markOutboxDone(ids: [Int64]) async throws {
        try intercept("markOutboxDone(ids:)")
        try await base.markOutboxDone(ids: ids)
    }
}
