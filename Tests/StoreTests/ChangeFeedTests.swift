import Foundation
import Store
import Synchronization
import Testing

/// The change feed and the stored vectors on both engines: what replicas follow (docs/ARCHITECTURE.md, "Replicas
/// follow the store").
@Suite struct ChangeFeedTests {
    /// The feed entries after `sequence`, as (chunk id, operation) pairs in order.
    private func entries(_ store: any MetadataStore, after sequence: Int64 = 0) async throws -> [String] {
        try await store.changes(after: sequence, limit: 1000).map { "\($0.operation.rawValue) \($0.chunkID)" }
    }

    @Test(arguments: Engine.all) func commitsRecordWhatTheyChanged(engine: Engine) async throws {
        try await withStore(engine) { store in
            let one = sampleChunk(ordinal: 0, text: "one")
            let two = sampleChunk(ordinal: 1, text: "two")
            let created = try await store.commitDocument(
                sampleDocument(), chunks: [one, two], removedChunkIDs: [], outbox: false)
            #expect(try await entries(store) == ["upsert \(one.chunkID)", "upsert \(two.chunkID)"])
            let first = try await store.changeFeedStatus(after: 0)
            // The commit names the numbers it wrote, so the replica that made it can move past them.
            #expect(created.changes.map(Array.init) == (try await store.changes(after: 0, limit: 10).map(\.sequence)))
            #expect(first.head >= 2 && first.pending == 2 && first.prunedThrough == 0 && first.oldestPendingAt != nil)

            // The same chunks again: nothing written, nothing recorded.
            let again = try await store.commitDocument(
                sampleDocument(), chunks: [one, two], removedChunkIDs: [], outbox: false)
            #expect(again.changes == nil)
            #expect(try await store.changeFeedStatus(after: first.head).pending == 0)

            // One chunk replaced: the new one written, the old one removed.
            let three = sampleChunk(ordinal: 1, text: "three")
            let replaced = try await store.commitDocument(
                sampleDocument(), chunks: [one, three], removedChunkIDs: [two.chunkID], outbox: false)
            #expect(replaced.changes?.count == 2 && replaced.changes?.lowerBound == first.head + 1)
            #expect(
                try await entries(store, after: first.head) == ["upsert \(three.chunkID)", "delete \(two.chunkID)"])

            // A new title changes every chunk's citation: every chunk is recorded.
            let second = try await store.changeFeedStatus(after: 0).head
            var renamed = sampleDocument()
            renamed.title = "EU AI Act"
            try await store.commitDocument(renamed, chunks: [one, three], removedChunkIDs: [], outbox: false)
            #expect(try await entries(store, after: second) == ["upsert \(one.chunkID)", "upsert \(three.chunkID)"])

            let third = try await store.changeFeedStatus(after: 0).head
            try await store.deleteDocument(id: renamed.id, outbox: false)
            #expect(try await entries(store, after: third) == ["delete \(one.chunkID)", "delete \(three.chunkID)"])

            // Numbers increase, and paging by them sees every entry once.
            let all = try await store.changes(after: 0, limit: 1000)
            #expect(all.map(\.sequence) == all.map(\.sequence).sorted() && Set(all.map(\.sequence)).count == all.count)
            var paged: [ChunkChange] = []
            var position: Int64 = 0
            while true {
                let page = try await store.changes(after: position, limit: 3)
                guard let last = page.last else { break }
                paged += page
                position = last.sequence
            }
            #expect(paged == all)
            #expect(try await store.changeFeedStatus(after: position).pending == 0)
        }
    }

    @Test(arguments: Engine.all) func pruningIsRememberedAndNumbersAreNeverReused(engine: Engine) async throws {
        try await withStore(engine) { store in
            let one = sampleChunk(ordinal: 0, text: "one")
            try await store.commitDocument(sampleDocument(), chunks: [one], removedChunkIDs: [], outbox: false)
            try await store.deleteDocument(id: "ai-act", outbox: false)
            let before = try await store.changeFeedStatus(after: 0)
            #expect(before.pending == 2)

            #expect(try await store.pruneChanges(before: Date().addingTimeInterval(-60)) == 0)
            #expect(try await store.pruneChanges(before: Date().addingTimeInterval(60)) == 2)
            let after = try await store.changeFeedStatus(after: 0)
            // A follower at 0 is behind the pruned mark: it must reconcile in full.
            #expect(after.prunedThrough == before.head && after.head == before.head && after.pending == 0)

            try await store.commitDocument(sampleDocument(), chunks: [one], removedChunkIDs: [], outbox: false)
            let next = try await store.changes(after: 0, limit: 10)
            #expect(next.count == 1 && next[0].sequence > before.head)
        }
    }

    @Test(arguments: Engine.all) func removingAllRowsSendsFollowersToReconcile(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.commitDocument(
                sampleDocument(), chunks: [sampleChunk(ordinal: 0, text: "one")], removedChunkIDs: [], outbox: false)
            let head = try await store.changeFeedStatus(after: 0).head
            try await store.removeAllRows()
            let status = try await store.changeFeedStatus(after: head)
            #expect(status.prunedThrough >= head && status.pending == 0)
        }
    }

    @Test(arguments: Engine.all) func vectorsTravelWithTheirChunks(engine: Engine) async throws {
        try await withStore(engine) { store in
            let one = sampleChunk(ordinal: 0, text: "one")
            let two = sampleChunk(ordinal: 1, text: "two")
            let vector: [Float] = [0.25, -1.5, .leastNonzeroMagnitude, 3e38]
            let windows: [[Float]] = [[1, 2, 3, 4], [-0.0, 0.5, 0.125, 7]]
            try await store.commitDocument(
                sampleDocument(), chunks: [one, two], removedChunkIDs: [],
                vectors: [
                    ChunkVectors(chunkID: one.chunkID, model: "m1", vector: vector, windows: windows),
                    ChunkVectors(chunkID: two.chunkID, model: "m1", vector: vector, windows: []),
                    // A chunk the commit does not keep: ignored, not a foreign-key failure.
                    ChunkVectors(chunkID: "elsewhere", model: "m1", vector: vector, windows: []),
                ], outbox: false)
            let found = try await store.chunkVectors(ids: [one.chunkID, two.chunkID, "missing"], model: "m1")
            #expect(found[one.chunkID]?.vector == vector && found[one.chunkID]?.windows == windows)
            #expect(found[two.chunkID]?.windows == [] && found.count == 2)
            // Vectors of another model are not comparable: not returned.
            #expect(try await store.chunkVectors(ids: [one.chunkID], model: "m2").isEmpty)

            try await store.saveChunkVectors([
                ChunkVectors(chunkID: two.chunkID, model: "m2", vector: [9, 9, 9, 9], windows: []),
                ChunkVectors(chunkID: "missing", model: "m2", vector: [1, 1, 1, 1], windows: []),
            ])
            #expect(
                try await store.chunkVectors(ids: [two.chunkID, "missing"], model: "m2").keys.sorted() == [two.chunkID])

            // Removing a chunk removes its vectors.
            try await store.commitDocument(
                sampleDocument(), chunks: [two], removedChunkIDs: [one.chunkID], outbox: false)
            #expect(try await store.chunkVectors(ids: [one.chunkID], model: "m1").isEmpty)
            try await store.deleteDocument(id: "ai-act", outbox: false)
            #expect(try await store.chunkVectors(ids: [two.chunkID], model: "m2").isEmpty)
        }
    }

    /// Many commits at once, and a follower reading behind them by sequence number: it must see every entry.
    /// PostgreSQL hands out identity values at insert time, so without the feed lock a commit numbered lower could
    /// become visible after a higher one the follower had already passed.
    @Test(arguments: Engine.all) func aFollowerReadingDuringConcurrentCommitsMissesNothing(engine: Engine) async throws
    {
        try await withStore(engine) { store in
            let writers = 6
            let commits = 15
            let writing = Atomic(true)
            // Reads behind the writers by sequence number until they are done, then once more.
            let reader = Task {
                var position: Int64 = 0
                var read: [Int64] = []
                while true {
                    let busy = writing.load(ordering: .acquiring)
                    let page = try await store.changes(after: position, limit: 50)
                    for change in page {
                        read.append(change.sequence)
                        position = change.sequence
                    }
                    // Done once the writers had finished before a read that came back short: a reader that fell
                    // more than a page behind (a loaded machine) still drains the rest.
                    if !busy, page.count < 50 { return read }
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for commit in 0..<commits {
                            let id = "doc-\(writer)-\(commit)"
                            try await store.commitDocument(
                                sampleDocument(id: id),
                                chunks: (0..<3).map { sampleChunk(documentID: id, ordinal: $0, text: "text \($0)") },
                                removedChunkIDs: [], outbox: false)
                        }
                    }
                }
                try await group.waitForAll()
            }
            writing.store(false, ordering: .releasing)
            let seen = try await reader.value
            let all = try await store.changes(after: 0, limit: 10_000).map(\.sequence)
            #expect(all.count == writers * commits * 3)
            #expect(seen == all)
        }
    }
}
