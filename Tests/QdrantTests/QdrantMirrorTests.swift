import Documents
import Foundation
import Knowledge
import Qdrant
import Retrieval
import Store
import StoreDoubles
import Testing

/// The mirror against the local Qdrant peer: after every scenario, outage or not, the collection must hold
/// exactly the stored chunks (ids and payloads), with nothing duplicated and nothing queued.
@Suite struct QdrantMirrorTests {
    /// Asserts the collection equals the store: one point per stored chunk, UUIDv5 ids, payloads as stored.
    func expectMirrorEqualsStore(_ library: MirrorLibrary, _ client: QdrantClient) async throws {
        let hashes = try await library.store.chunkContentHashes()
        let records = try await client.scrollAll()
        #expect(records.count == hashes.count)
        #expect(try await client.count() == hashes.count)
        #expect(Set(records.map(\.id)) == Set(hashes.keys.map(QdrantPointID.forChunk)))
        var expected: [String: QdrantChunkPayload] = [:]
        for chunk in try await library.store.chunks(ids: Array(hashes.keys)) {
            let document = try #require(try await library.store.document(id: chunk.documentID))
            expected[QdrantPointID.forChunk(chunk.chunkID)] = QdrantMirror.payload(chunk: chunk, document: document)
        }
        let mismatched = records.filter { expected[$0.id] != $0.payload }
        #expect(mismatched.isEmpty)
        #expect(try await library.store.pendingOutboxCount() == 0)
    }

    @Test func ingestedDocumentsReachTheCollectionAndDeletesLeaveIt() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await MirrorLibrary.make()
        defer { library.remove() }
        try await library.ingestAll()
        let stored = try await library.store.counts().chunks
        #expect(try await library.store.pendingOutboxCount() == stored)

        let client = try QdrantClient(configuration: peer.configuration())
        let mirror = QdrantMirror(knowledgeBase: library.knowledgeBase, client: client)
        let report = try await mirror.syncAll(batch: 7)
        #expect(report.entries == stored && report.upserted == stored && report.deleted == 0)
        #expect(report.embedded == 0)  // vectors came from the index
        try await expectMirrorEqualsStore(library, client)
        #expect(try await mirror.verify().agrees)
        #expect(mirror.status.lastSuccess != nil && mirror.status.lastError == nil)

        // An edited document: new chunks upserted, vanished ones deleted.
        _ = try await library.knowledgeBase.ingest(
            data: Data(
                (MirrorLibrary.notes[0].text + "\n## Article 11 Technical documentation\nKept up to date.\n").utf8),
            fileName: "note-risk.md", options: DocumentLoader.Options(id: "note-risk", title: "Risk (edited)"))
        try await mirror.syncAll()
        try await expectMirrorEqualsStore(library, client)

        let removed = try await library.knowledgeBase.deleteDocument(id: "note-transparency")
        #expect(removed > 0)
        let deletion = try await mirror.syncAll()
        #expect(deletion.deleted == removed && deletion.upserted == 0)
        try await expectMirrorEqualsStore(library, client)
        let left = try await client.scrollAll()
        #expect(!left.contains { $0.payload?.documentID == "note-transparency" })
    }

    /// Another process (here a second store over the same file) holding the outbox lease makes this mirror skip
    /// its turn without touching the outbox or the collection, or wait for the lease when asked to.
    @Test func aPushSkipsOrWaitsWhileAnotherProcessHoldsTheOutboxLease() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await MirrorLibrary.make()
        defer { library.remove() }
        try await library.ingestAll()
        let stored = try await library.store.counts().chunks
        let client = try QdrantClient(configuration: peer.configuration())
        let mirror = QdrantMirror(knowledgeBase: library.knowledgeBase, client: client)
        let other = try SQLiteStore(path: library.store.path)

        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let (taken, signalTaken) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await other.withOutboxLease {
                signalTaken.yield()
                for await _ in released { break }
            }
        }
        for await _ in taken { break }
        let skipped = try await mirror.syncAll()
        #expect(skipped.leaseBusy && skipped.entries == 0)
        #expect(try await library.store.pendingOutboxCount() == stored)

        let waiting = Task { try await mirror.syncAll(waitForLease: true) }
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await library.store.pendingOutboxCount() == stored, "pushed while the lease was held")
        release.yield()
        #expect(try await holder.value != nil)
        let report = try await waiting.value
        #expect(report.entries == stored && !report.leaseBusy)
        try await expectMirrorEqualsStore(library, client)
    }

    @Test func anUnreachableQdrantLosesNothingAndALaterSyncCompletes() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await MirrorLibrary.make()
        defer { library.remove() }
        try await library.ingestAll()
        let pending = try await library.store.pendingOutboxCount()

        let down = try QdrantClient(
            configuration: QdrantConfiguration(
                url: "http://127.0.0.1:1", apiKey: "qk-SECRET-down", collection: "c",
                retry: QdrantRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))))
        let offline = QdrantMirror(knowledgeBase: library.knowledgeBase, client: down)
        let error = await #expect(throws: QdrantError.self) { try await offline.syncAll() }
        #expect(error?.code == .unavailable)
        #expect(try await library.store.pendingOutboxCount() == pending)
        let status = offline.status
        #expect(status.lastSuccess == nil && status.lastErrorAt != nil)
        #expect(status.lastError?.contains("qdrant_unavailable") == true)
        #expect(status.lastError?.contains("qk-SECRET-down") == false)

        // Qdrant reachable: create the collection first and fail the pushes part-way (connections dropped).
        let client = try QdrantClient(
            configuration: peer.configuration(
                retry: QdrantRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), deadline: .seconds(10))))
        let mirror = QdrantMirror(knowledgeBase: library.knowledgeBase, client: client)
        try await mirror.syncOnce(limit: 5)
        try await peer.inject([["drop": true], ["drop": true]], path: client.configuration.collection + "/points")
        let dropped = await #expect(throws: QdrantError.self) { try await mirror.syncAll(batch: 5) }
        #expect(dropped?.code == .unavailable)
        let failed = try await library.store.pendingOutbox(limit: 1)
        #expect(failed.first?.attempts == 1 && failed.first?.lastError?.contains("qdrant_unavailable") == true)
        #expect(try await library.store.pendingOutboxCount() == pending - 5)
        #expect(mirror.status.lastError != nil)

        try await mirror.syncAll(batch: 5)
        try await expectMirrorEqualsStore(library, client)
        #expect(mirror.status.lastError == nil && mirror.status.lastSuccess != nil)
    }

    @Test func rateLimitsOutagesAndSlowAnswersAreRiddenOut() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await MirrorLibrary.make()
        defer { library.remove() }
        try await library.ingestAll()
        let client = try QdrantClient(
            configuration: peer.configuration(
                timeout: .milliseconds(800),
                retry: QdrantRetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), deadline: .seconds(10))))
        let path = client.configuration.collection + "/points"
        let mirror = QdrantMirror(knowledgeBase: library.knowledgeBase, client: client)
        try await mirror.syncOnce(limit: 3)

        // 429 with Retry-After: 1 and then a 503, both retried within one push.
        try await peer.inject([["status": 429, "retry_after": "1"], ["status": 503]], path: path)
        let clock = ContinuousClock()
        let started = clock.now
        try await mirror.syncOnce(limit: 3)
        #expect(clock.now - started >= .seconds(1))

        // Slow answers past the timeout on every attempt: the push fails, the rows stay.
        let before = try await library.store.pendingOutboxCount()
        try await peer.inject(Array(repeating: ["delay": 30.0], count: 3), path: path)
        let slow = await #expect(throws: QdrantError.self) { try await mirror.syncOnce(limit: 3) }
        #expect(slow?.code == .timeout)
        #expect(try await library.store.pendingOutboxCount() == before)

        // Recovered: everything arrives once.
        try await mirror.syncAll()
        try await expectMirrorEqualsStore(library, client)
    }

    @Test func aCrashBetweenTheUpsertAndMarkingDoneDuplicatesNothing() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await MirrorLibrary.make()
        defer { library.remove() }
        try await library.ingestAll()
        let stored = try await library.store.counts().chunks
        let configuration = peer.configuration()

        // The first process: Qdrant acknowledges, then the outbox rows cannot be removed.
        struct Crash: Error {}
        let crashing = InterceptingStore(base: library.store) { operation in
            if operation == "markOutboxDone(ids:)" { throw Crash() }
        }
        let (crashBase, _) = try await KnowledgeBase.open(
            dataDirectory: nil, store: crashing, embedder: library.knowledgeBase.embedder,
            tokenCounter: try #require(MirrorLibrary.tokenizer))
        let first = QdrantMirror(knowledgeBase: crashBase, client: try QdrantClient(configuration: configuration))
        await #expect(throws: Crash.self) { try await first.syncAll() }
        let client = try QdrantClient(configuration: configuration)
        #expect(try await client.count() > 0)
        #expect(try await library.store.pendingOutboxCount() == stored)

        // The next process pushes the same rows again: the same point ids, so the same points.
        let second = QdrantMirror(knowledgeBase: library.knowledgeBase, client: client)
        let report = try await second.syncAll()
        #expect(report.entries == stored)
        try await expectMirrorEqualsStore(library, client)
    }

    @Test func verifyFindsAndRepairFixesMissingStaleAndExtraPoints() async throws {
        let peer = try await QdrantPeer.shared()
        // A data directory filled before QDRANT_URL was set: nothing queued.
        let library = try await MirrorLibrary.make(queueOutbox: false)
        defer { library.remove() }
        try await library.ingestAll()
        #expect(try await library.store.pendingOutboxCount() == 0)
        let client = try QdrantClient(configuration: peer.configuration())
        let mirror = QdrantMirror(knowledgeBase: library.knowledgeBase, client: client)
        // Nothing queued, but the first push builds the collection from the store, so it holds every chunk.
        #expect(try await mirror.syncAll().entries == 0)
        let stored = try await library.store.counts().chunks
        let built = try await mirror.verify()
        #expect(built.agrees && built.points == stored && built.storedChunks == stored)

        // Points lost (a Qdrant restored from an old snapshot): verify names them, repair puts them back.
        let lost = try await library.store.chunks(documentID: "note-risk").map(\.chunkID)
        try await client.delete(ids: lost.map(QdrantPointID.forChunk))
        let missing = try await mirror.verify()
        #expect(missing.missing == lost.sorted() && missing.extra.isEmpty && !missing.agrees)
        try await mirror.repair()
        try await expectMirrorEqualsStore(library, client)

        // A stray point and a stale payload.
        var stray = testPoints(count: 1, dimension: 64)[0]
        stray.id = QdrantPointID.forChunk("gone#1")
        stray.hybrid = QdrantHybridVectors(windows: [], bm25: SparseBM25.Vector(indices: [7], values: [1]))
        let someChunk = try #require(try await library.store.chunks(documentID: "note-nist").first)
        var stale = stray
        stale.id = QdrantPointID.forChunk(someChunk.chunkID)
        stale.payload.text = "outdated text"
        try await client.upsert([stray, stale])
        let found = try await mirror.verify()
        #expect(found.extra == [stray.id] && found.stale == [someChunk.chunkID] && found.missing.isEmpty)
        try await mirror.repair()
        try await expectMirrorEqualsStore(library, client)
    }

    @Test func theBackgroundLoopPushesNewChangesAndStopsWhenCancelled() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await MirrorLibrary.make()
        defer { library.remove() }
        let client = try QdrantClient(configuration: peer.configuration())
        let mirror = QdrantMirror(knowledgeBase: library.knowledgeBase, client: client)
        let loop = Task { await mirror.run(interval: .milliseconds(100)) }
        try await library.ingestAll()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while try await library.store.pendingOutboxCount() > 0 || mirror.status.lastSuccess == nil,
            clock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        loop.cancel()
        await loop.value
        try await expectMirrorEqualsStore(library, client)
    }
}
