import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import APIServer

/// `GET /ready` tells how far this replica's index lags the store's change feed.
@Suite struct ReadinessLagTests {
    @Test func readyReportsChangesAnotherReplicaCommittedUntilTheyAreFollowed() async throws {
        let library = try await TestLibrary.make()
        defer { try? FileManager.default.removeItem(at: library.directory) }
        try await library.application().test(.router) { client in
            let current = try await client.send(.get, "/ready")
            let feed = try #require(current.json["feed"] as? [String: Any])
            #expect(feed["lag_changes"] as? Int == 0 && feed["lag_seconds"] as? Double == 0)
            #expect(feed["applied_sequence"] as? Int == feed["store_sequence"] as? Int)
            #expect(feed["last_error"] is NSNull && feed["last_poll_seconds_ago"] is NSNull)

            // Another replica's commit, straight into the shared store.
            let document = StoredDocument(
                id: "elsewhere", title: "Elsewhere", source: "Replica B", url: nil, type: "markdown",
                contentHash: "h", metadata: [:])
            let chunks = (0..<2).map { ordinal in
                StoredChunk(
                    chunkID: "elsewhere:\(ordinal)", documentID: "elsewhere", ordinal: ordinal,
                    text: "A passage committed through replica B, number \(ordinal).", section: nil, headingPath: [],
                    pageStart: nil, pageEnd: nil, charStart: 0, charEnd: 10, tokenCount: 9, contentHash: "c\(ordinal)")
            }
            try await library.store.commitDocument(document, chunks: chunks, removedChunkIDs: [], outbox: false)
            let behind = try #require(try await client.send(.get, "/ready").json["feed"] as? [String: Any])
            #expect(behind["lag_changes"] as? Int == 2)
            #expect((behind["store_sequence"] as? Int ?? 0) == (feed["store_sequence"] as? Int ?? 0) + 2)
            #expect((behind["lag_seconds"] as? Double).map { $0 >= 0 } == true)

            try await library.knowledgeBase.followChanges()
            let caughtUp = try #require(try await client.send(.get, "/ready").json["feed"] as? [String: Any])
            #expect(caughtUp["lag_changes"] as? Int == 0 && caughtUp["lag_seconds"] as? Double == 0)
            #expect(caughtUp["applied_sequence"] as? Int == behind["store_sequence"] as? Int)
            #expect((caughtUp["last_poll_seconds_ago"] as? Double).map { $0 >= 0 } == true)
        }
    }
}
