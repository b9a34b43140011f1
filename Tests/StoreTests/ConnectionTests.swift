import Foundation
import Store
import Testing

@Suite struct ConnectionTests {
    @Test func walForeignKeysAndBusyTimeoutAreOn() async throws {
        try await withStore { store in
            let settings = try await store.settings()
            #expect(settings.journalMode == "wal")
            #expect(settings.readerForeignKeys)
            #expect(settings.writerForeignKeys)
            #expect(settings.busyTimeoutMilliseconds == Int(SQLiteStore.busyTimeout * 1000))
            #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
        }
    }

    @Test func foreignKeysAreEnforced() async throws {
        try await withStore { store in
            // ON DELETE CASCADE acts only when foreign keys are on: a surviving chunk would mean they are off.
            try await store.commitDocument(
                sampleDocument(), chunks: [sampleChunk(ordinal: 0, text: "a")], removedChunkIDs: [], outbox: false)
            try await store.deleteDocument(id: "ai-act", outbox: false)
            #expect(try await store.chunkContentHashes().isEmpty)
        }
    }

    @Test func aFileThatIsNotADatabaseIsCorrupt() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("aigov.sqlite").path
            let junk = String(repeating: "this is not a SQLite database, just text.\n", count: 200)
            try junk.write(toFile: path, atomically: true, encoding: .utf8)
            let code = await storeErrorCode { _ = try await SQLiteStore.open(path: path) }
            #expect(code == .corrupt)
            // The file must be left as it was: no repair, no overwrite.
            #expect(try String(contentsOfFile: path, encoding: .utf8) == junk)
        }
    }

    @Test func aDirectoryInPlaceOfTheFileIsAnIOError() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("aigov.sqlite").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let code = await storeErrorCode { _ = try await SQLiteStore.open(path: path) }
            #expect(code == .io)
        }
    }
}
