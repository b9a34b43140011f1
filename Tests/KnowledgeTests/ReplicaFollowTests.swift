import DocumentFixtures
import Documents
import EmbedCache
import Foundation
import Knowledge
import Retrieval
import Store
import Testing

/// Two replicas (each its own data directory, index, embedding cache and store connection) over one store file:
/// what one commits, the other indexes from the change feed and the stored vectors (docs/ARCHITECTURE.md,
/// "Replicas follow the store").
@Suite struct ReplicaFollowTests {
    /// A replica whose store is `shared`'s database file.
    private func replica(
        _ library: TestLibrary, sharing shared: TestLibrary, windows: Bool = false
    ) async throws -> KnowledgeBase {
        guard let tokenizer = Fixtures.tokenizer else { throw TestSetupError.noTokenizer }
        let store = try await shared.store()
        var ranking = RankingOptions.plain
        if windows { ranking.windowShare = 0.5 }
        return try await KnowledgeBase.open(
            dataDirectory: library.directory, store: store, embedder: try library.embedder(), tokenCounter: tokenizer,
            options: KnowledgeBase.Options(ranking: ranking)
        ).0
    }

    private func records(_ base: KnowledgeBase) -> [IndexRecord] {
        base.index.ids.compactMap { base.index.record(id: $0) }
    }

    @Test(arguments: [false, true]) func whatOneReplicaCommitsTheOtherIndexesWithoutTheModel(windows: Bool)
        async throws
    {
        let a = try TestLibrary()
        let b = try TestLibrary()
        defer {
            a.remove()
            b.remove()
        }
        let first = try await replica(a, sharing: a, windows: windows)
        let second = try await replica(b, sharing: a, windows: windows)

        let file = try a.copy(Fixtures.eo14179, as: "order.md")
        let added = try await first.ingest(fileAt: file)
        #expect(added.status == .added && added.chunks > 3)
        #expect(second.index.count == 0)
        #expect(try await second.store.changeFeedStatus(after: second.feedPosition.applied).pending == added.chunks)

        let report = try await second.followChanges()
        #expect(report.changes == added.chunks && report.indexed == added.chunks && report.removed == 0)
        #expect(report.embedded == 0 && b.base.embedded == 0)
        // The same records, vectors and windows included, as the replica that ran the model.
        #expect(records(second) == records(first))
        if windows { #expect(records(second).contains { !$0.windows.isEmpty }) }
        #expect(second.feedPosition.applied == (try await second.store.changeFeedStatus(after: 0)).head)
        let hits = try await second.search("removing barriers to American leadership", topK: 3, mode: .lexical)
        #expect(hits.first?.documentID == "order.md")

        // The writer moved past its own commit when it made it.
        #expect(try await first.followChanges() == KnowledgeBase.FollowReport())

        // Interleaved commits: the second replica's entries lie below the first one's next commit, so the first
        // replica's position stays behind, and its next step reads its own entries too and finds them indexed.
        let note = try await second.ingest(
            data: Data("# Note\n\nA note written through the second replica.".utf8), fileName: "note.md")
        let mine = try await first.ingest(
            data: Data("# Mine\n\nA note written through the first replica.".utf8), fileName: "mine.md")
        let mixed = try await first.followChanges()
        #expect(mixed.changes == note.chunks + mine.chunks && mixed.indexed == note.chunks && mixed.embedded == 0)
        #expect(try await second.followChanges().indexed == mine.chunks)
        #expect(records(second) == records(first))
        try await first.deleteDocument(id: "note.md")
        try await first.deleteDocument(id: "mine.md")
        #expect(try await second.followChanges().removed == note.chunks + mine.chunks)
        try await first.followChanges()
        let model = b.base.embedded

        // An edit: the changed chunk arrives, the replaced one goes.
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "Sec. 2", with: "Sec. 2 (as amended in a replica test)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let updated = try await first.ingest(fileAt: file)
        #expect(updated.status == .updated && updated.chunksRemoved >= 1)
        let edit = try await second.followChanges()
        #expect(edit.indexed == updated.chunksAdded && edit.removed == updated.chunksRemoved && edit.embedded == 0)
        #expect(records(second) == records(first))
        let edited = try await second.search("as amended in a replica test", topK: 1, mode: .lexical)
        #expect(edited.first?.content.contains("as amended in a replica test") == true)

        try await first.deleteDocument(id: "order.md")
        let deletion = try await second.followChanges()
        #expect(deletion.removed == updated.chunks && second.index.count == 0)
        // The model ran on the second replica only for what was ingested through it.
        #expect(b.base.embedded == model)
    }

    @Test func aReplicaBehindPrunedEntriesReconcilesInFull() async throws {
        let a = try TestLibrary()
        let b = try TestLibrary()
        defer {
            a.remove()
            b.remove()
        }
        let first = try await replica(a, sharing: a)
        let second = try await replica(b, sharing: a)
        _ = try await first.ingest(fileAt: try a.copy(Fixtures.eo14179, as: "order.md"))
        try await first.store.pruneChanges(before: Date().addingTimeInterval(60))

        let report = try await second.followChanges()
        #expect(report.reconciled && report.indexed == first.index.count && report.embedded == 0)
        #expect(second.feedPosition.reconciliations == 1)
        #expect(records(second) == records(first))
        // Caught up: the next step reads nothing.
        #expect(try await second.followChanges() == KnowledgeBase.FollowReport())
    }

    /// Chunks committed without vectors (by an aigov before the feed existed, or `aigov db copy`): the first
    /// replica to index them runs the model once and leaves the vectors in the store for every other one.
    @Test func vectorsComputedByOneReplicaAreLeftForTheOthers() async throws {
        let a = try TestLibrary()
        let b = try TestLibrary()
        let c = try TestLibrary()
        defer {
            a.remove()
            b.remove()
            c.remove()
        }
        let store = try await a.store()
        let document = StoredDocument(
            id: "note", title: "Note", source: "Notes", url: nil, type: "markdown", contentHash: "h", metadata: [:])
        let chunks = (0..<3).map { ordinal in
            StoredChunk(
                chunkID: "note:\(ordinal)", documentID: "note", ordinal: ordinal,
                text: "Paragraph \(ordinal) of a note",
                section: nil, headingPath: [], pageStart: nil, pageEnd: nil, charStart: 0, charEnd: 10,
                tokenCount: 5, contentHash: "c\(ordinal)")
        }
        try await store.commitDocument(document, chunks: chunks, removedChunkIDs: [], outbox: false)

        let second = try await replica(b, sharing: a)
        #expect(second.index.count == 3 && b.base.embedded == 3)
        let third = try await replica(c, sharing: a)
        #expect(third.index.count == 3 && c.base.embedded == 0)
        #expect(records(third) == records(second))
    }
}
