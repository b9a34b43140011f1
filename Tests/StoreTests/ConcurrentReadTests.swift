import Foundation
import Store
import Testing

@Suite struct ConcurrentReadTests {
    /// Each commit replaces all chunks of the document with chunks tagged by one version. A reader that saw a
    /// half-applied commit would get a mix of versions or the wrong number of chunks.
    @Test(arguments: Engine.all) func readersSeeWholeCommitsOnly(engine: Engine) async throws {
        try await withStore(engine) { store in
            let chunksPerVersion = 20
            let versions = 30
            func chunks(_ version: Int) -> [StoredChunk] {
                (0..<chunksPerVersion).map { sampleChunk(ordinal: $0, text: "v\(version) chunk \($0)") }
            }
            try await store.commitDocument(sampleDocument(), chunks: chunks(0), removedChunkIDs: [], outbox: true)

            let observations = try await withThrowingTaskGroup(of: [Set<String>].self) { group in
                group.addTask {
                    for version in 1...versions {
                        try await store.commitDocument(
                            sampleDocument(hash: "v\(version)"), chunks: chunks(version),
                            removedChunkIDs: chunks(version - 1).map(\.chunkID), outbox: true)
                    }
                    return []
                }
                for _ in 0..<4 {
                    group.addTask {
                        var seen: [Set<String>] = []
                        for _ in 0..<40 {
                            let read = try await store.chunks(documentID: "ai-act")
                            #expect(read.count == chunksPerVersion)
                            seen.append(Set(read.map { String($0.text.split(separator: " ")[0]) }))
                        }
                        return seen
                    }
                }
                var all: [Set<String>] = []
                for try await part in group { all += part }
                return all
            }
            #expect(observations.count == 160)
            #expect(observations.allSatisfy { $0.count == 1 })
            let final = try await store.chunks(documentID: "ai-act")
            #expect(Set(final.map(\.text)) == Set(chunks(versions).map(\.text)))
            #expect(try await store.pendingOutboxCount() == chunksPerVersion * (1 + 2 * versions))
        }
    }
}
