import Testing

@testable import Store

/// The commit rules both engines execute (their behaviour on real databases is in CommitDocumentTests).
@Suite struct DocumentCommitPlanTests {
    func chunk(_ id: String, _ ordinal: Int, _ text: String = "text") -> StoredChunk {
        StoredChunk(
            chunkID: id, documentID: "d", ordinal: ordinal, text: text, section: nil, headingPath: [], pageStart: nil,
            pageEnd: nil, charStart: 0, charEnd: text.count, tokenCount: 1, contentHash: "h-" + text)
    }

    func document(title: String = "T") -> StoredDocument {
        StoredDocument(id: "d", title: title, source: "S", url: nil, type: "text", contentHash: "c", metadata: [:])
    }

    @Test func newChangedAndUnchangedChunksAreToldApart() {
        let stored = [chunk("a", 0), chunk("b", 1), chunk("c", 2)]
        let given = [chunk("a", 0), chunk("b", 1, "edited"), chunk("n", 3)]
        let plan = DocumentCommitPlan(
            document: document(), chunks: given, previous: .init(document()), stored: stored, removed: ["x"],
            outbox: true)
        #expect(plan.writes.map(\.chunk.chunkID) == ["b", "n"] && plan.writes.map(\.isNew) == [false, true])
        #expect(
            plan.summary
                == CommitSummary(
                    documentCreated: false, chunksAdded: 1, chunksUpdated: 1, chunksUnchanged: 1, chunksRemoved: 1,
                    outboxEnqueued: 0))
        #expect(plan.outboxUpserts == ["b", "n"] && plan.outboxDeletes == ["x"])
    }

    @Test func aChangedPayloadFieldQueuesEveryChunkWrittenFirstThenByOrdinal() {
        let stored = [chunk("a", 0), chunk("b", 1), chunk("c", 2)]
        let plan = DocumentCommitPlan(
            document: document(title: "New title"), chunks: [chunk("c", 2, "edited")],
            previous: .init(document()), stored: stored, removed: [], outbox: true)
        #expect(plan.outboxUpserts == ["c", "a", "b"])
    }

    @Test func withoutTheOutboxNothingIsQueuedAndANewDocumentIsSaidSo() {
        let plan = DocumentCommitPlan(
            document: document(), chunks: [chunk("a", 0)], previous: nil, stored: [], removed: [], outbox: false)
        #expect(plan.summary.documentCreated && plan.summary.chunksAdded == 1)
        #expect(plan.outboxUpserts.isEmpty && plan.outboxDeletes.isEmpty)
        // The change feed records the commit whatever the outbox setting.
        #expect(plan.changedIDs == ["a"] && plan.removedIDs.isEmpty)
    }
}
