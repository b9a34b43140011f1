import Foundation
import GRDB
import Testing

@testable import Store

/// States only another program (a newer aigov, a hand edit) could leave, written through the raw pool.
@Suite struct DamagedDatabaseTests {
    @Test func aSchemaNewerThanThisBuildIsRefused() async throws {
        try await withStore { store in
            try await store.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'now')")
            }
            do {
                try await store.migrate()
                Issue.record("a newer schema was accepted")
            } catch let error as StoreError {
                #expect(error.code == .migrationFailed)
                #expect(error.message.contains("99"))
            }
        }
    }

    @Test func aBadJSONColumnIsCorruptNotACrash() async throws {
        try await withStore { store in
            try await store.commitDocument(
                sampleDocument(), chunks: [sampleChunk(ordinal: 0, text: "x")], removedChunkIDs: [], outbox: false)
            // Valid JSON (so the CHECK passes) but not the array of strings the column must hold.
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE chunks SET heading_path = '{\"a\": 1}'")
            }
            let code = await storeErrorCode { _ = try await store.chunks(documentID: "ai-act") }
            #expect(code == .corrupt)
        }
    }

    @Test func invalidJSONIsRejectedByTheSchema() async throws {
        try await withStore { store in
            try await store.commitDocument(sampleDocument(), chunks: [], removedChunkIDs: [], outbox: false)
            do {
                try await store.pool.write { db in
                    try db.execute(sql: "UPDATE documents SET metadata = 'not json'")
                }
                Issue.record("invalid JSON stored")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT)
            }
        }
    }
}
