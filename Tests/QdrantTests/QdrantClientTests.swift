import Foundation
import Qdrant
import Retrieval
import Testing

/// Points of `dimension` floats: point `i` is near the `i % dimension` axis, so a query along an axis finds it.
func testPoints(count: Int, dimension: Int = 8, documents: Int = 3, text: (Int) -> String = { "chunk \($0)" })
    -> [QdrantPoint]
{
    (0..<count).map { i in
        var vector = [Float](repeating: 0.01, count: dimension)
        vector[i % dimension] = 1 + Float(i) / Float(count)
        let chunkID = "doc-\(i % documents)#\(i)"
        return QdrantPoint(
            id: QdrantPointID.forChunk(chunkID), vector: vector,
            payload: QdrantChunkPayload(
                chunkID: chunkID, documentID: "doc-\(i % documents)", title: "Document \(i % documents)",
                source: i % 2 == 0 ? "EUR-Lex" : "NIST", url: i % 5 == 0 ? nil : "https://example.org/\(i)",
                docType: "markdown", section: ["Article 6", "Article 6(1)", "Article 60", "Annex III"][i % 4],
                pageStart: i % 3 == 0 ? nil : i, pageEnd: i % 3 == 0 ? nil : i + 1, chunkIndex: i, text: text(i),
                contentHash: String(repeating: "ab", count: 32)))
    }
}

@Suite struct QdrantPointIDTests {
    @Test func uuid5MatchesPythonsUUIDModule() {
        // python3 -c 'import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, "aigov:qdrant:chunk_id"))'
        let url = UUID(uuidString: "6ba7b811-9dad-11d1-80b4-00c04fd430c8")!
        #expect(QdrantPointID.uuid5(namespace: url, name: "aigov:qdrant:chunk_id") == QdrantPointID.namespace)
        // uuid.uuid5(uuid.UUID("3905d479-3f37-5c61-9b2e-eb6c6bd4347e"), name)
        #expect(QdrantPointID.forChunk("eu-ai-act.pdf#3f2a9c1b#0007") == "77dacc67-a86a-513c-9252-985cd70292e5")
        #expect(
            QdrantPointID.forChunk("Règlement (UE) 2024/1689 — article 6") == "7bc1958e-89cb-53d6-a2a9-f000edcde046")
        #expect(QdrantPointID.forChunk("a") != QdrantPointID.forChunk("b"))
    }
}

@Suite struct QdrantClientTests {
    @Test func createsTheCollectionOnceAndRefusesAnotherDimension() async throws {
        let peer = try await QdrantPeer.shared()
        let client = try QdrantClient(configuration: peer.configuration())
        #expect(try await client.collectionInfo() == nil)
        #expect(try await client.ensureCollection(dimension: 8))
        #expect(try await !client.ensureCollection(dimension: 8))
        let info = try #require(try await client.collectionInfo())
        #expect(info.vectorSize == 8 && info.distance == "Cosine")
        let error = await #expect(throws: QdrantError.self) { try await client.ensureCollection(dimension: 16) }
        #expect(error?.code == .collectionMismatch)
        // The payload indexes were asked for, one per keyword field, and waited for.
        let indexes = try await peer.requests(path: client.configuration.collection + "/index")
        #expect(indexes.count == 2 * QdrantChunkPayload.indexedKeywordFields.count)
        #expect(indexes.allSatisfy { $0["query"] as? String == "wait=true" })
    }

    @Test func upsertsInBatchesOfAtMost256AndQueriesCountsScrollsDeletes() async throws {
        let peer = try await QdrantPeer.shared()
        let client = try QdrantClient(configuration: peer.configuration())
        try await client.ensureCollection(dimension: 8)
        let points = testPoints(count: 600)
        #expect(try await client.upsert(points) == 3)
        let upserts = try await peer.requests(path: client.configuration.collection + "/points").filter {
            $0["method"] as? String == "PUT"
        }
        #expect(upserts.map { $0["points"] as? Int } == [256, 256, 88])
        #expect(upserts.allSatisfy { $0["query"] as? String == "wait=true" })
        #expect(try await client.count() == 600)

        // Re-pushing the same points changes nothing: same ids.
        try await client.upsert(Array(points.prefix(300)))
        #expect(try await client.count() == 600)

        var axis = [Float](repeating: 0, count: 8)
        axis[3] = 1
        let hits = try await client.query(vector: axis, limit: 5)
        #expect(hits.count == 5)
        #expect(hits[0].id == points[595].id && hits[0].payload == points[595].payload)
        #expect(hits.allSatisfy { Int($0.payload!.chunkIndex) % 8 == 3 })
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })

        let filtered = try await client.query(
            vector: axis, limit: 10, filter: SearchFilter(documentIDs: ["doc-1"], sources: ["NIST"]))
        #expect(!filtered.isEmpty && filtered.allSatisfy { $0.payload?.documentID == "doc-1" })
        #expect(filtered.allSatisfy { $0.payload?.source == "NIST" })
        let sections = try await client.query(vector: axis, limit: 50, filter: SearchFilter(sectionPrefix: "article 6"))
        #expect(sections.count == 50)
        #expect(Set(sections.compactMap { $0.payload?.section }) == ["Article 6", "Article 6(1)"])

        try await client.delete(ids: points.prefix(10).map(\.id))
        #expect(try await client.count() == 590)
        try await client.delete(documentID: "doc-0")
        let rest = try await client.scrollAll(pageSize: 100)
        let expected = points.dropFirst(10).filter { $0.payload.documentID != "doc-0" }
        #expect(rest.count == expected.count)
        #expect(Set(rest.map(\.id)) == Set(expected.map(\.id)))
        let byID = Dictionary(uniqueKeysWithValues: expected.map { ($0.id, $0.payload) })
        #expect(rest.allSatisfy { byID[$0.id] == $0.payload })
    }

    @Test func splitsUpsertsAtEightMebibytes() async throws {
        let peer = try await QdrantPeer.shared()
        let client = try QdrantClient(configuration: peer.configuration())
        try await client.ensureCollection(dimension: 8)
        // 40 points of about 300 KB each: 12 MB in all, far fewer than 256 points.
        let big = String(repeating: "governance ", count: 27_000)
        let points = testPoints(count: 40, text: { "\($0) " + big })
        let requests = try await client.upsert(points)
        #expect(requests == 2)
        let upserts = try await peer.requests(path: client.configuration.collection + "/points").filter {
            $0["method"] as? String == "PUT"
        }
        #expect(upserts.count == 2)
        #expect(upserts.allSatisfy { ($0["bytes"] as? Int ?? .max) <= QdrantClient.maxBytesPerRequest })
        #expect(upserts.compactMap { $0["points"] as? Int }.reduce(0, +) == 40)
        #expect(try await client.count() == 40)
    }

    @Test func mapsQdrantErrorsWithTheirDetail() async throws {
        let peer = try await QdrantPeer.shared()
        let client = try QdrantClient(configuration: peer.configuration())
        let missing = await #expect(throws: QdrantError.self) { try await client.count() }
        #expect(missing?.code == .notFound && missing?.httpStatus == 404)
        #expect(missing?.detail?.contains("doesn't exist") == true)
        #expect(missing?.attempts == 1)

        try await client.ensureCollection(dimension: 8)
        let wrong = QdrantPoint(
            id: QdrantPointID.forChunk("x"), vector: [1, 2, 3], payload: testPoints(count: 1)[0].payload)
        let refused = await #expect(throws: QdrantError.self) { try await client.upsert([wrong]) }
        #expect(refused?.code == .badRequest && refused?.httpStatus == 400)
        #expect(refused?.detail?.contains("dimension") == true)
        #expect(refused?.isTransient == false)
    }

    @Test func sendsTheAPIKeyHeaderAndNeverEchoesIt() async throws {
        try await withDedicatedPeer(apiKey: "qk-test-0123456789") { peer in
            let secret = "qk-wrong-SECRET-9876"
            let configuration = peer.configuration(apiKey: "qk-test-0123456789")
            var wrongConfiguration = configuration
            wrongConfiguration.apiKey = secret
            let wrong = try QdrantClient(configuration: wrongConfiguration)
            let refused = await #expect(throws: QdrantError.self) { try await wrong.ensureCollection(dimension: 8) }
            #expect(refused?.code == .unauthorized && refused?.httpStatus == 401 && refused?.detail == nil)
            #expect(refused?.attempts == 1)
            #expect(!"\(String(describing: refused))".contains(secret))
            #expect(!"\(wrong.configuration)".contains(secret))

            let client = try QdrantClient(configuration: configuration)
            try await client.ensureCollection(dimension: 8)
            try await client.upsert(testPoints(count: 3))
            #expect(try await client.count() == 3)
            let sent = try await peer.requests(path: configuration.collection)
            #expect(sent.count > 3)
            let keys = sent.map { $0["api_key"] as? String }
            #expect(keys.filter { $0 == "qk-test-0123456789" }.count == sent.count - 1)
            #expect(keys.first == secret)
        }
    }

    @Test func refusesUnusableConfigurations() {
        for (url, collection, key) in [
            ("ftp://127.0.0.1:6333", "c", nil), ("127.0.0.1:6333", "c", nil),
            ("http://user:hunter2@127.0.0.1:6333", "c", nil), ("http://127.0.0.1:6333", "a/b", nil),
            ("http://127.0.0.1:6333", "", nil), ("http://127.0.0.1:6333", "c", "key with spaces"),
        ] as [(String, String, String?)] {
            let error = #expect(throws: QdrantError.self) {
                try QdrantClient(configuration: QdrantConfiguration(url: url, apiKey: key, collection: collection))
            }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.description.contains("hunter2") == false)
        }
    }

    @Test func honoursRetryAfterOn429AndRetries503() async throws {
        let peer = try await QdrantPeer.shared()
        let client = try QdrantClient(configuration: peer.configuration())
        let path = client.configuration.collection
        try await client.ensureCollection(dimension: 8)
        try await peer.inject([["status": 429, "retry_after": "1"], ["status": 503], ["status": 503]], path: path)
        let clock = ContinuousClock()
        let started = clock.now
        try await client.upsert(testPoints(count: 4))
        #expect(clock.now - started >= .seconds(1))
        let puts = try await peer.requests(path: path + "/points").filter { $0["method"] as? String == "PUT" }
        #expect(puts.count == 4)
        let times = puts.compactMap { $0["at"] as? Double }
        #expect(times[1] - times[0] >= 0.99)
        #expect(puts.prefix(3).compactMap { ($0["fault"] as? [String: Any])?["status"] as? Int } == [429, 503, 503])
        #expect(try await client.count() == 4)
    }

    @Test func givesUpAfterTheLastAttempt() async throws {
        let peer = try await QdrantPeer.shared()
        let client = try QdrantClient(configuration: peer.configuration())
        let path = client.configuration.collection
        try await client.ensureCollection(dimension: 8)
        try await peer.inject(Array(repeating: ["status": 429, "retry_after": "0"], count: 4), path: path)
        let limited = await #expect(throws: QdrantError.self) { try await client.count() }
        #expect(limited?.code == .rateLimited && limited?.attempts == 4 && limited?.isTransient == true)
        // A 400 is final at once.
        try await peer.inject([["status": 400]], path: path)
        let refused = await #expect(throws: QdrantError.self) { try await client.count() }
        #expect(refused?.code == .badRequest && refused?.attempts == 1)
        #expect(try await client.count() == 0)
    }

    @Test func slowAnswersTimeOutAndDroppedConnectionsAreRetried() async throws {
        let peer = try await QdrantPeer.shared()
        // The delays are far longer than the timeouts so that a loaded CI machine (a first run took 5 s for
        // what takes 0.9 s here) cannot make a working timeout look broken.
        let patient = try QdrantClient(configuration: peer.configuration(timeout: .milliseconds(800)))
        let path = patient.configuration.collection
        try await patient.ensureCollection(dimension: 8)
        try await peer.inject([["delay": 30.0]], path: path)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try await patient.count() == 0)
        #expect(clock.now - started < .seconds(20))
        #expect(try await peer.requests(path: path + "/points/count").count == 2)

        let once = try QdrantClient(
            configuration: QdrantConfiguration(
                url: peer.url, collection: path, requestTimeout: .seconds(1), retry: .none))
        try await peer.inject([["delay": 30.0]], path: path)
        let slow = await #expect(throws: QdrantError.self) { try await once.count() }
        #expect(slow?.code == .timeout)
        #expect(try await once.count() == 0)

        try await peer.inject([["drop": true], ["drop": true]], path: path)
        #expect(try await patient.count() == 0)
    }

    @Test func anUnreachableServerIsUnavailable() async throws {
        // A refused connection fails at once; the long request timeout keeps a test machine that stalls this task
        // (CI's first minute, every suite starting together) from turning the refusal into a timeout.
        let client = try QdrantClient(
            configuration: QdrantConfiguration(
                url: "http://127.0.0.1:1", collection: "c", requestTimeout: .seconds(600),
                retry: QdrantRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))))
        let error = await #expect(throws: QdrantError.self) { try await client.count() }
        #expect(error?.code == .unavailable && error?.attempts == 2)
    }

    @Test func retryPolicyBacksOffAndReadsRetryAfter() {
        let policy = QdrantRetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, jitter: 0) == .milliseconds(50))
        #expect(policy.delay(beforeRetry: 3, retryAfter: nil, jitter: 1) == .milliseconds(400))
        #expect(policy.delay(beforeRetry: 10, retryAfter: nil, jitter: 1) == .seconds(1))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(3), jitter: 1) == .seconds(3))
        #expect(QdrantRetryPolicy.retryAfter("2") == .seconds(2))
        #expect(QdrantRetryPolicy.retryAfter(" 0.25 ") == .milliseconds(250))
        // A proxy in front of Qdrant may send a date: a past one means now, a future one its distance.
        #expect(QdrantRetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == .zero)
        let now = Date(timeIntervalSince1970: 1_445_412_470)  // 07:27:50 GMT that day
        #expect(QdrantRetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(10))
        #expect(QdrantRetryPolicy.retryAfter("soon") == nil)
        #expect(QdrantRetryPolicy.isRetryable(status: 429) && QdrantRetryPolicy.isRetryable(status: 503))
        #expect(!QdrantRetryPolicy.isRetryable(status: 500) && !QdrantRetryPolicy.isRetryable(status: 404))
    }
}
