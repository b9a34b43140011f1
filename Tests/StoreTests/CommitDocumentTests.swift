import Foundation
import Store
import Testing

@Suite struct CommitDocumentTests {
    @Test(arguments: Engine.all) func roundTripKeepsEveryField(engine: Engine) async throws {
        try await withStore(engine) { store in
            let document = sampleDocument()
            let pdfChunk = sampleChunk(
                ordinal: 0, text: "Classification rules for high-risk AI systems", pages: 53...54)
            var htmlChunk = sampleChunk(ordinal: 1, text: "Règles de classification — « systèmes » 🤖")
            htmlChunk.section = nil
            htmlChunk.headingPath = []
            let summary = try await store.commitDocument(
                document, chunks: [htmlChunk, pdfChunk], removedChunkIDs: [], outbox: false)
            #expect(summary.documentCreated)
            #expect(summary.chunksAdded == 2)

            let stored = try #require(try await store.document(id: document.id))
            #expect(stored.title == document.title)
            #expect(stored.source == document.source)
            #expect(stored.url == document.url)
            #expect(stored.type == document.type)
            #expect(stored.contentHash == document.contentHash)
            #expect(stored.metadata == document.metadata)
            #expect(stored.createdAt == stored.updatedAt)

            let chunks = try await store.chunks(documentID: document.id)
            #expect(chunks == [pdfChunk, htmlChunk])  // ordinal order, not commit order
            #expect(chunks[1].pageStart == nil && chunks[1].pageEnd == nil && chunks[1].section == nil)
            #expect(try await store.chunk(id: pdfChunk.chunkID) == pdfChunk)
            #expect(try await store.chunk(id: "missing") == nil)
            #expect(try await store.chunk(documentID: document.id, ordinal: 1) == htmlChunk)
            #expect(try await store.chunk(documentID: document.id, ordinal: 2) == nil)
            #expect(try await store.chunk(documentID: "missing", ordinal: 0) == nil)
            #expect(
                try await store.chunks(ids: [htmlChunk.chunkID, "missing", pdfChunk.chunkID])
                    == [htmlChunk, pdfChunk])
            #expect(
                try await store.chunkContentHashes()
                    == [pdfChunk.chunkID: pdfChunk.contentHash, htmlChunk.chunkID: htmlChunk.contentHash])
            #expect(try await store.document(id: "missing") == nil)
        }
    }

    @Test(arguments: Engine.all) func recommitReplacesChangedChunksAndKeepsUnchangedOnes(engine: Engine) async throws {
        try await withStore(engine) { store in
            let kept = sampleChunk(ordinal: 0, text: "Article 1 unchanged")
            let old = sampleChunk(ordinal: 1, text: "Article 2 old wording")
            let first = try await store.commitDocument(
                sampleDocument(hash: "v1"), chunks: [kept, old], removedChunkIDs: [], outbox: false)
            let createdAt = try #require(try await store.document(id: "ai-act")).createdAt

            let new = sampleChunk(ordinal: 1, text: "Article 2 new wording")
            // The pipeline may pass the whole new chunk list: an unchanged chunk is recognised and left alone.
            let second = try await store.commitDocument(
                sampleDocument(hash: "v2"), chunks: [kept, new], removedChunkIDs: [old.chunkID], outbox: false)
            #expect(first.chunksAdded == 2)
            #expect(!second.documentCreated)
            #expect(second.chunksAdded == 1)
            #expect(second.chunksUnchanged == 1)
            #expect(second.chunksRemoved == 1)

            #expect(try await store.chunks(documentID: "ai-act") == [kept, new])
            #expect(try await store.chunk(id: old.chunkID) == nil)
            let document = try #require(try await store.document(id: "ai-act"))
            #expect(document.contentHash == "v2")
            #expect(document.createdAt == createdAt)
            #expect(document.updatedAt >= createdAt)
            #expect(try await store.counts() == StoreCounts(documents: 1, chunks: 2))
        }
    }

    @Test(arguments: Engine.all) func changedColumnsOfAnExistingChunkAreUpdated(engine: Engine) async throws {
        try await withStore(engine) { store in
            var chunk = sampleChunk(ordinal: 0, text: "same text")
            try await store.commitDocument(sampleDocument(), chunks: [chunk], removedChunkIDs: [], outbox: true)
            chunk.section = "Article 6(1)"
            chunk.pageStart = 7
            chunk.pageEnd = 8
            let summary = try await store.commitDocument(
                sampleDocument(), chunks: [chunk], removedChunkIDs: [], outbox: true)
            #expect(summary.chunksUpdated == 1 && summary.chunksAdded == 0 && summary.outboxEnqueued == 1)
            #expect(try await store.chunk(id: chunk.chunkID) == chunk)
        }
    }

    @Test(arguments: Engine.all) func outboxRowsAreQueuedWithTheCommitOnlyWhenAsked(engine: Engine) async throws {
        try await withStore(engine) { store in
            let a = sampleChunk(ordinal: 0, text: "a")
            let b = sampleChunk(ordinal: 1, text: "b")
            try await store.commitDocument(sampleDocument(), chunks: [a, b], removedChunkIDs: [], outbox: false)
            #expect(try await store.pendingOutboxCount() == 0)

            let c = sampleChunk(ordinal: 1, text: "c")
            let summary = try await store.commitDocument(
                sampleDocument(), chunks: [a, c], removedChunkIDs: [b.chunkID], outbox: true)
            #expect(summary.outboxEnqueued == 2)
            let pending = try await store.pendingOutbox(limit: 10)
            #expect(pending.map(\.operation) == [.upsert, .delete])
            #expect(pending.map(\.chunkID) == [c.chunkID, b.chunkID])
            #expect(pending.allSatisfy { $0.documentID == "ai-act" && $0.attempts == 0 && $0.lastError == nil })
        }
    }

    @Test(arguments: Engine.all) func removedIDsOfAnotherDocumentAreNotTouched(engine: Engine) async throws {
        try await withStore(engine) { store in
            let other = sampleChunk(documentID: "gdpr", ordinal: 0, text: "Article 5 GDPR")
            try await store.commitDocument(
                sampleDocument(id: "gdpr"), chunks: [other], removedChunkIDs: [], outbox: false)
            let summary = try await store.commitDocument(
                sampleDocument(), chunks: [], removedChunkIDs: [other.chunkID], outbox: true)
            #expect(summary.chunksRemoved == 0 && summary.outboxEnqueued == 0)
            #expect(try await store.chunk(id: other.chunkID) == other)
        }
    }

    @Test(arguments: Engine.all) func documentsArePagedMostRecentlyUpdatedFirst(engine: Engine) async throws {
        try await withStore(engine) { store in
            for id in ["a", "b", "c"] {
                try await store.commitDocument(
                    sampleDocument(id: id), chunks: [], removedChunkIDs: [], outbox: false)
                try await Task.sleep(for: .milliseconds(5))  // timestamps have millisecond resolution
            }
            try await store.commitDocument(sampleDocument(id: "a"), chunks: [], removedChunkIDs: [], outbox: false)
            #expect(try await store.documents(limit: 2, offset: 0).map(\.id) == ["a", "c"])
            #expect(try await store.documents(limit: 2, offset: 2).map(\.id) == ["b"])
            #expect(try await store.documents(limit: 0, offset: 0).isEmpty)
        }
    }
}
