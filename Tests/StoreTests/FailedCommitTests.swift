import Foundation
import Store
import Testing

/// A commit that fails part-way must leave exactly the previous state: document row, chunks and outbox.
@Suite struct FailedCommitTests {
    struct Snapshot: Equatable {
        var document: StoredDocument?
        var chunks: [StoredChunk]
        var outbox: Int
    }

    func snapshot(_ store: any MetadataStore) async throws -> Snapshot {
        Snapshot(
            document: try await store.document(id: "ai-act"),
            chunks: try await store.chunks(documentID: "ai-act"),
            outbox: try await store.pendingOutboxCount())
    }

    /// Stores version 1 (two chunks, outbox on), then returns its snapshot.
    func storeVersionOne(_ store: any MetadataStore) async throws -> (Snapshot, [StoredChunk]) {
        let chunks = [sampleChunk(ordinal: 0, text: "first"), sampleChunk(ordinal: 1, text: "second")]
        try await store.commitDocument(sampleDocument(hash: "v1"), chunks: chunks, removedChunkIDs: [], outbox: true)
        return (try await snapshot(store), chunks)
    }

    @Test(arguments: Engine.all) func aConstraintViolationMidCommitRollsEverythingBack(engine: Engine) async throws {
        try await withStore(engine) { store in
            let (before, old) = try await storeVersionOne(store)
            let good = sampleChunk(ordinal: 1, text: "replacement")
            var bad = sampleChunk(ordinal: 2, text: "bad offsets")
            bad.charEnd = bad.charStart - 1
            // The document update, the removal and `good` are written before `bad` fails its CHECK.
            let code = await storeErrorCode {
                try await store.commitDocument(
                    sampleDocument(hash: "v2"), chunks: [good, bad], removedChunkIDs: [old[1].chunkID], outbox: true)
            }
            #expect(code == .constraintViolation)
            #expect(try await snapshot(store) == before)
        }
    }

    @Test(arguments: Engine.all) func aChunkIDOwnedByAnotherDocumentIsAConflictAndRollsBack(engine: Engine) async throws
    {
        try await withStore(engine) { store in
            let foreign = sampleChunk(documentID: "gdpr", ordinal: 0, text: "GDPR text")
            try await store.commitDocument(
                sampleDocument(id: "gdpr"), chunks: [foreign], removedChunkIDs: [], outbox: false)
            let (before, old) = try await storeVersionOne(store)
            var stolen = sampleChunk(ordinal: 5, text: "stolen id")
            stolen.chunkID = foreign.chunkID
            let code = await storeErrorCode {
                try await store.commitDocument(
                    sampleDocument(hash: "v2"), chunks: [sampleChunk(ordinal: 2, text: "new"), stolen],
                    removedChunkIDs: [old[0].chunkID], outbox: true)
            }
            #expect(code == .conflict)
            #expect(try await snapshot(store) == before)
            #expect(try await store.chunk(id: foreign.chunkID) == foreign)
        }
    }

    /// More chunks than PostgreSQL writes in one statement (`PostgresStore.chunkBatch`): every row and field
    /// arrives, and a conflict in the last statement still undoes the earlier ones.
    @Test(arguments: Engine.all) func aCommitLargerThanOneBatchIsWholeOrNothing(engine: Engine) async throws {
        try await withStore(engine) { store in
            let foreign = sampleChunk(documentID: "gdpr", ordinal: 0, text: "GDPR text")
            try await store.commitDocument(
                sampleDocument(id: "gdpr"), chunks: [foreign], removedChunkIDs: [], outbox: false)
            let (before, _) = try await storeVersionOne(store)
            var many = (0..<1_203).map { sampleChunk(ordinal: $0, text: "paragraph \($0) of a long document") }
            many[7].section = nil
            many[7].pageStart = nil
            many[7].pageEnd = nil
            many[8].headingPath = ["Article 8", "Compliance — \"quoted\" and\nnew line"]
            var stolen = many
            stolen[1_202].chunkID = foreign.chunkID
            let code = await storeErrorCode {
                try await store.commitDocument(
                    sampleDocument(hash: "v2"), chunks: stolen, removedChunkIDs: [], outbox: true)
            }
            #expect(code == .conflict)
            #expect(try await snapshot(store) == before)

            try await store.commitDocument(sampleDocument(hash: "v3"), chunks: many, removedChunkIDs: [], outbox: true)
            let stored = try await store.chunks(documentID: "ai-act")
            let written = Dictionary(uniqueKeysWithValues: stored.map { ($0.chunkID, $0) })
            for chunk in many { #expect(written[chunk.chunkID] == chunk, "\(chunk.ordinal)") }
        }
    }

    @Test(arguments: Engine.all) func duplicateChunkIDsInOneCommitAreRejected(engine: Engine) async throws {
        try await withStore(engine) { store in
            let (before, _) = try await storeVersionOne(store)
            let twice = sampleChunk(ordinal: 3, text: "twice")
            let code = await storeErrorCode {
                try await store.commitDocument(
                    sampleDocument(hash: "v2"), chunks: [twice, twice], removedChunkIDs: [], outbox: true)
            }
            #expect(code == .invalidInput)
            #expect(try await snapshot(store) == before)
        }
    }

    @Test(arguments: Engine.all) func aChunkOfAnotherDocumentIsRejected(engine: Engine) async throws {
        try await withStore(engine) { store in
            let (before, _) = try await storeVersionOne(store)
            let code = await storeErrorCode {
                try await store.commitDocument(
                    sampleDocument(hash: "v2"), chunks: [sampleChunk(documentID: "gdpr", ordinal: 0, text: "x")],
                    removedChunkIDs: [], outbox: true)
            }
            #expect(code == .invalidInput)
            #expect(try await snapshot(store) == before)
        }
    }
}
