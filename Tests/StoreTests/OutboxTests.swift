import Foundation
import Store
import Testing

@Suite struct OutboxTests {
    @Test(arguments: Engine.all) func pendingDoneAndFailed(engine: Engine) async throws {
        try await withStore(engine) { store in
            let chunks = (0..<4).map { sampleChunk(ordinal: $0, text: "c\($0)") }
            try await store.commitDocument(sampleDocument(), chunks: chunks, removedChunkIDs: [], outbox: true)
            #expect(try await store.pendingOutboxCount() == 4)

            let batch = try await store.pendingOutbox(limit: 3)
            #expect(batch.map(\.chunkID) == chunks.prefix(3).map(\.chunkID))
            #expect(batch.map(\.id) == batch.map(\.id).sorted())

            try await store.markOutboxDone(ids: [batch[0].id, batch[1].id])
            try await store.markOutboxFailed(ids: [batch[2].id], error: "HTTP 503")
            try await store.markOutboxFailed(
                ids: [batch[2].id], error: String(repeating: "e", count: 10_000))

            let rest = try await store.pendingOutbox(limit: 10)
            #expect(rest.map(\.chunkID) == [chunks[2].chunkID, chunks[3].chunkID])
            #expect(rest[0].attempts == 2)
            #expect(rest[0].lastError?.count == 500)
            #expect(rest[1].attempts == 0 && rest[1].lastError == nil)
            #expect(try await store.pendingOutboxCount() == 2)
            #expect(try await store.pendingOutbox(limit: 0).isEmpty)
        }
    }

    @Test(arguments: Engine.all) func aChangedTitleRequeuesEveryChunkOfTheDocument(engine: Engine) async throws {
        try await withStore(engine) { store in
            let chunks = (0..<3).map { sampleChunk(ordinal: $0, text: "c\($0)") }
            try await store.commitDocument(sampleDocument(), chunks: chunks, removedChunkIDs: [], outbox: true)
            try await store.markOutboxDone(ids: try await store.pendingOutbox(limit: 10).map(\.id))

            // Same chunks, same document fields but metadata: nothing to push.
            var document = sampleDocument()
            document.metadata["pages"] = "145"
            let same = try await store.commitDocument(document, chunks: chunks, removedChunkIDs: [], outbox: true)
            #expect(same.outboxEnqueued == 0)

            // A new title: the payload of every chunk changed although no chunk did.
            document.title = "AI Act (consolidated)"
            let renamed = try await store.commitDocument(document, chunks: chunks, removedChunkIDs: [], outbox: true)
            #expect(renamed.chunksUnchanged == 3 && renamed.outboxEnqueued == 3)
            let queued = try await store.pendingOutbox(limit: 10)
            #expect(queued.map(\.chunkID).sorted() == chunks.map(\.chunkID).sorted())
            #expect(queued.allSatisfy { $0.operation == .upsert })
        }
    }
}
