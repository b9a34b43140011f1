import ConcurrencySupport
import Foundation
import Retrieval
import Store

/// Replicas follow the store (docs/ARCHITECTURE.md, "Replicas follow the store"): every commit, through any
/// replica, leaves change-feed entries and the chunks' vectors in the store; each replica polls the feed and
/// applies only the chunks it names, so a document uploaded through one replica is searchable through all of them
/// within a poll interval, without any of them running the model on it again.
extension KnowledgeBase {
    /// What one follow step did.
    public struct FollowReport: Sendable, Equatable {
        /// Feed entries read.
        public var changes = 0
        /// Index records written (new chunks, or chunks whose text, section, source or type changed).
        public var indexed = 0
        /// Index records deleted (chunks no longer stored).
        public var removed = 0
        /// Chunk texts the model ran on because the store held no vectors for them from this model.
        public var embedded = 0
        /// Whether the step had to reconcile the whole index with the store (entries it had not read were pruned).
        public var reconciled = false

        /// A report of nothing done.
        public init() {}
    }

    /// How far this replica has followed the feed.
    public var feedPosition: FeedPosition { feed.current }

    /// Applies the feed entries committed since the last step, `batch` at a time, until none is left. Entries name
    /// chunks; each named chunk's current row decides what happens (stored: index it unless the index already holds
    /// it as stored; gone: delete it), so entries applied twice, out of a batch's order, or by the replica that
    /// wrote them change nothing. When entries this replica never read were pruned, the index is reconciled with
    /// the store in full instead (``repair(progress:)``).
    ///
    /// Runs under the write gate, so it waits for an ingest on this replica and the ingest waits for it.
    @discardableResult
    public func followChanges(batch: Int = 1000) async throws -> FollowReport {
        do {
            let report = try await gate.run { try await followLocked(batch: max(1, batch)) }
            feed.update {
                $0.lastPollAt = Date()
                $0.lastError = nil
            }
            return report
        } catch {
            feed.update { $0.lastError = Self.describe(error) }
            throw error
        }
    }

    private func followLocked(batch: Int) async throws -> FollowReport {
        var report = FollowReport()
        while true {
            let position = feed.current.applied
            let status = try await store.changeFeedStatus(after: position)
            if status.prunedThrough > position {
                let repaired = try await repairLocked(progress: nil)
                report.reconciled = true
                report.indexed += repaired.addedToIndex
                report.removed += repaired.removedFromIndex
                report.embedded += repaired.embedded
                feed.update {
                    $0.applied = status.head
                    $0.reconciliations += 1
                }
                continue
            }
            guard status.pending > 0 else { return report }
            let changes = try await store.changes(after: position, limit: batch)
            guard let last = changes.last else { return report }
            var seen = Set<String>()
            let ids = changes.map(\.chunkID).filter { seen.insert($0).inserted }
            let (indexed, removed, embedded) = try await apply(chunkIDs: ids)
            report.changes += changes.count
            report.indexed += indexed
            report.removed += removed
            report.embedded += embedded
            feed.update { $0.applied = last.sequence }
            if changes.count < batch { return report }
        }
    }

    /// Makes the index agree with the store on `ids`. Returns (records written, records deleted, texts embedded).
    private func apply(chunkIDs ids: [String]) async throws -> (Int, Int, Int) {
        let current = try await store.chunks(ids: ids)
        let stored = Set(current.map(\.chunkID))
        let gone = ids.filter { !stored.contains($0) && index.record(id: $0) != nil }
        var documents: [String: StoredDocument] = [:]
        for documentID in Set(current.map(\.documentID)) {
            documents[documentID] = try await store.document(id: documentID)
        }
        let stale = current.compactMap { chunk -> (StoredChunk, StoredDocument)? in
            guard let document = documents[chunk.documentID] else { return nil }
            return isIndexed(chunk, of: document) ? nil : (chunk, document)
        }
        var embedded = 0
        for start in stride(from: 0, to: stale.count, by: Self.sliceSize) {
            let (records, misses) = try await storedIndexRecords(
                Array(stale[start..<min(start + Self.sliceSize, stale.count)]))
            embedded += misses
            try await blocking { [index] in try index.upsert(records) }
        }
        if !gone.isEmpty {
            _ = try await blocking { [index] in try index.delete(ids: gone) }
        }
        if !stale.isEmpty || !gone.isEmpty { documentCache.invalidate() }
        return (stale.count, gone.count, embedded)
    }

    /// Whether the index already holds `chunk` as it is stored (the replica that committed it, or an earlier
    /// step, wrote it).
    private func isIndexed(_ chunk: StoredChunk, of document: StoredDocument) -> Bool {
        guard let record = index.record(id: chunk.chunkID) else { return false }
        let wanted = Self.record(chunk: chunk, document: document, vector: [])
        return record.text == wanted.text && record.documentID == wanted.documentID && record.source == wanted.source
            && record.docType == wanted.docType && record.section == wanted.section
            && record.citation == wanted.citation && !lacksWindows(record.windows, of: chunk)
    }

    /// Follows the feed every `interval` until the task is cancelled, and every hour prunes the entries older than
    /// `retention` (a replica that was away longer reconciles in full when it returns). A failure (the database
    /// away) goes to `onError` once, not once per poll, and the loop goes on; `FeedPosition/lastError` holds it
    /// until a poll succeeds.
    public func followStore(
        every interval: Duration, retention: Duration = .seconds(24 * 3600),
        onError: @Sendable (String) -> Void = { _ in }
    ) async {
        var lastPrune = ContinuousClock.now - .seconds(3600)
        var reported: String?
        while !Task.isCancelled {
            do {
                try await followChanges()
                if ContinuousClock.now - lastPrune >= .seconds(3600) {
                    lastPrune = ContinuousClock.now
                    try await store.pruneChanges(before: Date().addingTimeInterval(-retention.seconds))
                }
                reported = nil
            } catch {
                let message = Self.describe(error)
                if message != reported { onError(message) }
                reported = message
            }
            try? await Task.sleep(for: interval)
        }
    }
}

extension Duration {
    /// The duration in seconds, fractional.
    fileprivate var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
