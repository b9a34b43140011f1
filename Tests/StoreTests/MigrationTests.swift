import Foundation
import Store
import Testing

@Suite struct MigrationTests {
    @Test func freshDatabaseGetsEveryVersionOnce() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("aigov.sqlite").path
            let store = try SQLiteStore(path: path)
            let first = try await store.migrate()
            #expect(first.applied == [1, 2, 3, 4, 5, 6, 7, 8])
            #expect(first.versions == [1, 2, 3, 4, 5, 6, 7, 8])
            #expect(first.current == 8)

            let again = try await store.migrate()
            #expect(again.applied == [])
            #expect(again.versions == [1, 2, 3, 4, 5, 6, 7, 8])
        }
    }

    @Test func reopeningKeepsVersionsAndData() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("nested/dir/aigov.sqlite").path
            do {
                let store = try await SQLiteStore.open(path: path)
                try await store.commitDocument(
                    sampleDocument(), chunks: [sampleChunk(ordinal: 0, text: "one")], removedChunkIDs: [],
                    outbox: false)
            }
            let reopened = try SQLiteStore(path: path)
            let report = try await reopened.migrate()
            #expect(report.applied == [])
            #expect(report.versions == [1, 2, 3, 4, 5, 6, 7, 8])
            #expect(try await reopened.counts() == StoreCounts(documents: 1, chunks: 1))
        }
    }

    @Test func unmigratedDatabaseGivesATypedError() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("aigov.sqlite").path)
            let code = await storeErrorCode { _ = try await store.counts() }
            #expect(code == .database)
        }
    }
}
