import Foundation
import Store
import Testing

@Suite struct StoreCopyTests {
    /// Fills a store with a bit of everything through the protocol: documents, chunks, users, a job, outbox rows.
    func fill(_ store: any MetadataStore) async throws {
        let chunks = (0..<7).map { sampleChunk(ordinal: $0, text: "chunk \($0) « texte »", pages: 1...($0 + 1)) }
        try await store.commitDocument(sampleDocument(), chunks: chunks, removedChunkIDs: [], outbox: true)
        try await store.commitDocument(
            sampleDocument(id: "gdpr"), chunks: [sampleChunk(documentID: "gdpr", ordinal: 0, text: "GDPR")],
            removedChunkIDs: [], outbox: false)
        try await store.markOutboxFailed(ids: [try await store.pendingOutbox(limit: 1)[0].id], error: "HTTP 503")
        _ = try await store.createUser(NewUser(username: "Admin", passwordHash: "pbkdf2$abc", role: .admin))
        _ = try await store.createUser(
            NewUser(username: "zoë", email: "z@example.org", passwordHash: "p", role: .viewer))
        let job = try await store.createJob(kind: "ingest", payload: ["path": "/data/a.pdf"])
        try await store.updateJob(id: job.id, status: .succeeded, error: nil)
        // An origin with every crawl setting and a finished run, so the copy must carry them all.
        let origin = try await store.createOrigin(OriginTests.draft)
        _ = try await store.createOrigin(OriginDraft(url: "https://plain.example/"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try await store.claimDueOrigin(owner: "copy-test", now: now, lease: .seconds(60))
        _ = try await store.finishOriginRun(
            id: origin.id, owner: "copy-test", status: "completed", finishedAt: now, nextRun: now + 3600)
        _ = try await store.savePlatformSettings(["CRAWL_MAX_DEPTH": "1", "ENABLE_REALTIME_WEB": "true"], now: now)
    }

    /// Every row, with timestamps as whole milliseconds (both engines store milliseconds; two Dates built from
    /// the same millisecond by different routes may differ in the last bit of their Double).
    func everything(_ store: any MetadataStore) async throws -> StoreRows {
        func ms(_ date: Date) -> Date { Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded()) }
        var rows = try await exported(store)
        for index in rows.documents.indices {
            rows.documents[index].createdAt = ms(rows.documents[index].createdAt)
            rows.documents[index].updatedAt = ms(rows.documents[index].updatedAt)
        }
        for index in rows.users.indices { rows.users[index].createdAt = ms(rows.users[index].createdAt) }
        for index in rows.jobs.indices {
            rows.jobs[index].createdAt = ms(rows.jobs[index].createdAt)
            rows.jobs[index].startedAt = rows.jobs[index].startedAt.map(ms)
            rows.jobs[index].finishedAt = rows.jobs[index].finishedAt.map(ms)
        }
        for index in rows.outbox.indices { rows.outbox[index].createdAt = ms(rows.outbox[index].createdAt) }
        for index in rows.origins.indices {
            rows.origins[index].lastFetchedAt = rows.origins[index].lastFetchedAt.map(ms)
            rows.origins[index].nextRun = rows.origins[index].nextRun.map(ms)
        }
        return rows
    }

    func exported(_ store: any MetadataStore) async throws -> StoreRows {
        StoreRows(
            documents: try await store.exportDocuments(after: nil, limit: 1000),
            chunks: try await store.exportChunks(after: nil, limit: 1000),
            users: try await store.users(), origins: try await store.origins(),
            jobs: try await store.exportJobs(after: nil, limit: 1000),
            outbox: try await store.exportOutbox(after: nil, limit: 1000))
    }

    /// SQLite to `middle` to SQLite again, in small batches: every row comes back equal.
    @Test(arguments: Engine.all) func copyThereAndBackKeepsEveryRow(middle: Engine) async throws {
        try await withStore(.sqlite) { source in
            try await fill(source)
            let original = try await everything(source)
            #expect(original.chunks.count == 8 && original.outbox.count == 7 && original.users.count == 2)
            #expect(original.origins.count == 2 && original.origins[0].topicTags == ["ai-act", "regulation"])
            #expect(original.origins[0].nextRun != nil && original.origins[0].maxPages == 50)
            try await withStore(middle) { between in
                let there = try await StoreCopier(batchSize: 3).copy(from: source, to: between, replace: false)
                #expect(there == (try await source.tableCounts()))
                #expect(try await everything(between) == original)
                #expect(try await between.platformSettings() == (try await source.platformSettings()))
                try await withStore(.sqlite) { back in
                    try await StoreCopier(batchSize: 2).copy(from: between, to: back, replace: false)
                    #expect(try await everything(back) == original)
                    #expect(try await back.platformSettings().count == 2)
                }
            }
        }
    }

    @Test(arguments: Engine.all) func aNonEmptyTargetIsRefusedUnlessReplacing(target engine: Engine) async throws {
        try await withStore(.sqlite) { source in
            try await fill(source)
            try await withStore(engine) { target in
                try await target.commitDocument(
                    sampleDocument(id: "old"), chunks: [], removedChunkIDs: [], outbox: false)
                _ = try await target.savePlatformSettings(["MIN_RESULTS": "9"], now: Date())
                let code = await storeErrorCode {
                    try await StoreCopier().copy(from: source, to: target, replace: false)
                }
                #expect(code == .conflict)
                #expect(try await target.document(id: "old") != nil)
                try await StoreCopier().copy(from: source, to: target, replace: true)
                #expect(try await target.document(id: "old") == nil)
                #expect(try await everything(target) == (try await everything(source)))
                // Replacing replaces the settings too: the target's own are gone.
                #expect(try await target.platformSettings() == (try await source.platformSettings()))
            }
        }
    }
}
