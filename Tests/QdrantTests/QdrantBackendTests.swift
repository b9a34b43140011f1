import Foundation
import Hummingbird
import HummingbirdTesting
import Knowledge
import Logging
import Qdrant
import Retrieval
import Settings
import Store
import Testing

@testable import APIServer

/// `RETRIEVAL_BACKEND=qdrant`: dense rankings from the collection, BM25 and the fallback local; and the server's
/// wiring (health, configuration).
@Suite struct QdrantBackendTests {
    static let questions = [
        "risk management system for high-risk AI", "transparency obligations deep fake disclosure",
        "removing barriers to American leadership in artificial intelligence", "security and resilience evaluated",
        "data governance training validation testing data sets",
    ]

    /// A library mirrored into a fresh collection on the shared peer.
    func mirrored() async throws -> (MirrorLibrary, QdrantClient, QdrantMirror) {
        let peer = try await QdrantPeer.shared()
        let library = try await MirrorLibrary.make()
        try await library.ingestAll()
        let client = try QdrantClient(configuration: peer.configuration())
        let mirror = QdrantMirror(knowledgeBase: library.knowledgeBase, client: client)
        try await mirror.syncAll()
        return (library, client, mirror)
    }

    @Test func qdrantRankingsMatchTheLocalIndex() async throws {
        let (library, client, _) = try await mirrored()
        defer { library.remove() }
        let retriever = QdrantRetriever(knowledgeBase: library.knowledgeBase, client: client)
        for question in Self.questions {
            for mode in [SearchMode.dense, .hybrid, .lexical] {
                let local = try await library.knowledgeBase.search(question, topK: 5, mode: mode)
                let remote = try await retriever.search(question, topK: 5, mode: mode)
                #expect(remote.fallback == nil)
                #expect(!local.isEmpty)
                #expect(remote.citations.map(\.chunkID) == local.map(\.chunkID), "\(mode) \(question)")
                #expect(remote.citations.map(\.documentID) == local.map(\.documentID))
                // Citations built from payloads carry the same fields as those built from the store.
                for (a, b) in zip(remote.citations, local) {
                    #expect(a.content == b.content && a.documentTitle == b.documentTitle && a.section == b.section)
                    #expect(a.documentSource == b.documentSource && a.chunkIndex == b.chunkIndex)
                    #expect(abs(a.score - b.score) < 1e-4)
                }
            }
        }
        let filter = SearchFilter(documentIDs: ["note-nist", "note-risk"], sectionPrefix: "Article 9")
        let local = try await library.knowledgeBase.search("risk management", topK: 3, mode: .dense, filter: filter)
        let remote = try await retriever.search("risk management", topK: 3, mode: .dense, filter: filter)
        #expect(!local.isEmpty && remote.citations.map(\.chunkID) == local.map(\.chunkID))
    }

    @Test func searchFallsBackToTheLocalIndexWhenQdrantIsDown() async throws {
        let (library, _, _) = try await mirrored()
        defer { library.remove() }
        let down = try QdrantClient(
            configuration: QdrantConfiguration(url: "http://127.0.0.1:1", collection: "c", retry: .none))
        let retriever = QdrantRetriever(knowledgeBase: library.knowledgeBase, client: down)
        let outcome = try await retriever.search(Self.questions[0], topK: 5, mode: .hybrid)
        #expect(outcome.fallback?.code == .unavailable)
        let local = try await library.knowledgeBase.search(Self.questions[0], topK: 5, mode: .hybrid)
        #expect(outcome.citations == local && !local.isEmpty)
    }

    // MARK: Server

    func application(
        _ library: MirrorLibrary, variables: [String: String], mirror: QdrantMirror?
    ) async throws -> some ApplicationProtocol {
        var all = ["LOG_LEVEL": "critical", "SECRET_KEY": Self.secret]
        all.merge(variables) { _, new in new }
        var logger = Logger(label: "aigov-qdrant-test")
        logger.logLevel = .critical
        return try await buildApplication(
            configuration: try ServerConfiguration(variables: all), knowledgeBase: library.knowledgeBase,
            store: library.store, chat: nil, logger: logger, mirror: mirror)
    }

    static let secret = "qdrant-backend-test-key-" + UUID().uuidString

    func adminToken(_ library: MirrorLibrary) async throws -> String {
        let hash = try PasswordHasher(iterations: 1_000).hash("correct horse battery staple")
        let admin = try await library.store.createUser(NewUser(username: "admin", passwordHash: hash, role: .admin))
        return try await TokenService.make(secret: Self.secret, minutes: 30)
            .issue(for: admin)
    }

    @Test func healthReportsTheMirrorAndRetrieveUsesQdrant() async throws {
        let (library, client, mirror) = try await mirrored()
        defer { library.remove() }
        let token = try await adminToken(library)
        let variables = [
            "QDRANT_URL": client.configuration.url, "QDRANT_COLLECTION": client.configuration.collection,
            "RETRIEVAL_BACKEND": "qdrant",
        ]
        let peer = try await QdrantPeer.shared()
        let queriesBefore = try await peer.requests(path: client.configuration.collection + "/points/query").count
        try await application(library, variables: variables, mirror: mirror).test(.router) { http in
            let health = try await http.execute(
                uri: "/api/admin/health", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(health.status == .ok)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(health.body.readableBytesView)) as? [String: Any])
            let qdrant = try #require(object["qdrant"] as? [String: Any])
            #expect(qdrant["configured"] as? Bool == true && qdrant["backend"] as? String == "qdrant")
            #expect(qdrant["pending"] as? Int == 0 && qdrant["last_success"] is String)
            #expect(
                qdrant["last_error"] is NSNull && qdrant["collection"] as? String == client.configuration.collection)
            #expect(object["index"] != nil && object["database"] != nil)
            #expect(qdrant["reachable"] as? Bool == true && qdrant["probe_error"] is NSNull)
            let chunks = try await library.store.counts().chunks
            #expect(qdrant["points"] as? Int == chunks)
            #expect(object["status"] as? String == "ok")

            let retrieve = try await http.execute(
                uri: "/api/search/retrieve", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(
                    string: #"{"query": "transparency obligations deep fake", "top_k": 3, "mode": "dense"}"#))
            #expect(retrieve.status == .ok)
            let results = try #require(
                (try JSONSerialization.jsonObject(with: Data(retrieve.body.readableBytesView)) as? [String: Any])?[
                    "results"] as? [[String: Any]])
            #expect(results.count == 3 && results[0]["document_id"] as? String == "note-transparency")
        }
        #expect(
            try await peer.requests(path: client.configuration.collection + "/points/query").count == queriesBefore + 1)
    }

    @Test func healthShowsTheLastErrorAndRetrieveStillAnswersWhenQdrantIsDown() async throws {
        let library = try await MirrorLibrary.make()
        defer { library.remove() }
        try await library.ingestAll()
        let token = try await adminToken(library)
        let variables = ["QDRANT_URL": "http://127.0.0.1:1", "RETRIEVAL_BACKEND": "qdrant"]
        let configuration = try #require(try SearchSettings.qdrant(EnvironmentValues(variables)))
        var quick = configuration
        quick.retry = .none
        let mirror = QdrantMirror(knowledgeBase: library.knowledgeBase, client: try QdrantClient(configuration: quick))
        await #expect(throws: QdrantError.self) { try await mirror.syncOnce() }
        let pending = try await library.store.pendingOutboxCount()
        #expect(pending > 0)
        try await application(library, variables: variables, mirror: mirror).test(.router) { http in
            let health = try await http.execute(
                uri: "/api/admin/health", method: .get, headers: [.authorization: "Bearer \(token)"])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(health.body.readableBytesView)) as? [String: Any])
            let qdrant = try #require(object["qdrant"] as? [String: Any])
            #expect(qdrant["pending"] as? Int == pending && qdrant["last_success"] is NSNull)
            #expect((qdrant["last_error"] as? String)?.hasPrefix("qdrant_unavailable") == true)
            #expect(qdrant["last_error_at"] is String)
            #expect(qdrant["reachable"] as? Bool == false && qdrant["points"] is NSNull)
            #expect((qdrant["probe_error"] as? String)?.hasPrefix("qdrant_unavailable") == true)
            #expect(object["status"] as? String == "degraded")

            let retrieve = try await http.execute(
                uri: "/api/search/retrieve", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"query": "risk management system", "top_k": 2}"#))
            #expect(retrieve.status == .ok)
            let results =
                (try JSONSerialization.jsonObject(with: Data(retrieve.body.readableBytesView)) as? [String: Any])?[
                    "results"] as? [[String: Any]]
            #expect(results?.count == 2)
        }
    }

    @Test func configurationNamesTheBackendAndRefusesBadValues() throws {
        let defaults = try ServerConfiguration(variables: [:])
        #expect(defaults.retrievalBackend == .local && defaults.qdrant == nil)
        let set = try ServerConfiguration(
            variables: [
                "QDRANT_URL": "https://qdrant.example:6333/", "QDRANT_API_KEY": "qk-SECRET",
                "QDRANT_COLLECTION": "gov_chunks", "RETRIEVAL_BACKEND": "QDRANT", "QDRANT_TIMEOUT_SECONDS": "3",
            ])
        #expect(set.retrievalBackend == .qdrant && set.qdrant?.collection == "gov_chunks")
        #expect(set.qdrant?.apiKey == "qk-SECRET" && set.qdrant?.requestTimeout == .seconds(3))
        #expect(!"\(set.qdrant!)".contains("qk-SECRET"))
        let search = try #require(set.qdrant?.forSearch)
        #expect(search.retry.maxAttempts == 2 && search.retry.deadline == .seconds(3))
        #expect(search.requestTimeout == .seconds(3) && search.collection == "gov_chunks")
        #expect(
            try ServerConfiguration(variables: ["QDRANT_URL": "http://q:6333"]).qdrant?.collection == "aigov_chunks")

        for (variables, variable) in [
            (["RETRIEVAL_BACKEND": "pinecone"], "RETRIEVAL_BACKEND"),
            (["RETRIEVAL_BACKEND": "qdrant"], "RETRIEVAL_BACKEND"),
            (["QDRANT_URL": "http://admin:hunter2@q:6333"], "QDRANT_URL"),
            (["QDRANT_URL": "q:6333"], "QDRANT_URL"),
            (["QDRANT_URL": "http://q:6333", "QDRANT_COLLECTION": "../x"], "QDRANT_COLLECTION"),
            (["QDRANT_URL": "http://q:6333", "QDRANT_TIMEOUT_SECONDS": "0"], "QDRANT_TIMEOUT_SECONDS"),
        ] {
            let error = #expect(throws: ConfigurationError.self) { try ServerConfiguration(variables: variables) }
            #expect(error?.variable == variable)
            #expect(error?.description.contains("hunter2") == false)
        }
    }
}
