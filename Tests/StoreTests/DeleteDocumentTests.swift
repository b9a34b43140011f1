import Foundation
import Store
import Testing

@Suite struct DeleteDocumentTests {
    @Test(arguments: Engine.all) func deleteCascadesToChunksAndQueuesDeletes(engine: Engine) async throws {
        try await withStore(engine) { store in
            let chunks = (0..<3).map { sampleChunk(ordinal: $0, text: "chunk \($0)") }
            try await store.commitDocument(sampleDocument(), chunks: chunks, removedChunkIDs: [], outbox: false)
            let keep = sampleChunk(documentID: "gdpr", ordinal: 0, text: "GDPR")
            try await store.commitDocument(
                sampleDocument(id: "gdpr"), chunks: [keep], removedChunkIDs: [], outbox: false)

            let removed = try await store.deleteDocument(id: "ai-act", outbox: true)
            #expect(removed == chunks.map(\.chunkID))
            #expect(try await store.document(id: "ai-act") == nil)
            #expect(try await store.chunks(documentID: "ai-act").isEmpty)
            #expect(try await store.counts() == StoreCounts(documents: 1, chunks: 1))
            let pending = try await store.pendingOutbox(limit: 10)
            #expect(pending.map(\.chunkID) == chunks.map(\.chunkID))
            #expect(pending.allSatisfy { $0.operation == .delete && $0.documentID == "ai-act" })
        }
    }

    @Test(arguments: Engine.all) func deleteWithoutOutboxQueuesNothing(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.commitDocument(
                sampleDocument(), chunks: [sampleChunk(ordinal: 0, text: "x")], removedChunkIDs: [], outbox: false)
            try await store.deleteDocument(id: "ai-act", outbox: false)
            #expect(try await store.pendingOutboxCount() == 0)
            #expect(try await store.counts() == StoreCounts(documents: 0, chunks: 0))
        }
    }

    @Test(arguments: Engine.all) func deletingAMissingDocumentIsNotFound(engine: Engine) async throws {
        try await withStore(engine) { store in
            let code = await storeErrorCode { try await store.deleteDocument(id: "nope", outbox: true) }
            #expect(code == .notFound)
            let pending = try await store.pendingOutboxCount()
            #expect(pending == 0)
        }
    }
}
