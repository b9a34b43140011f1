import Documents
import Foundation
import Knowledge
import Qdrant
import Retrieval
import Synchronization
import Testing

/// Hybrid search inside Qdrant (ARCHITECTURE.md, "Hybrid search inside Qdrant"): one request ranks as the local
/// index does, a replica with no index answers, and a collection of one vector is migrated behind an alias.
@Suite struct HybridCollectionTests {
    /// Every ranking stage on: window scoring, the recital and answer-type priors, the definitions and provision
    /// lookups.
    static var ranking: RankingOptions {
        var ranking = RankingOptions(recitalFactor: 0.5, definitions: true)
        ranking.windowShare = 0.5
        ranking.provisions = true
        ranking.answerTypeFactor = 1.5
        return ranking
    }

    /// Worded so that no two candidates tie in either list: the engines break exact ties differently (the local
    /// index by insertion order, Qdrant by its own), and a tie inside one list moves a fused score by a rank.
    static let questions =
        QdrantBackendTests.questions + [
            "What is a deployer?", "What does Article 52 ask of providers?",
            "why are providers of high-risk systems regulated",
            "security and resilience of AI systems that interact with natural persons",
            "How long do deployers retain records or logs?",
        ]

    /// A note with a definition and recitals, so the lookups and the prior have something to act on.
    static let definitions = """
        # Definitions and recitals

        ## Article 3 Definitions
        For the purposes of this note, 'deployer' means a natural or legal person using an AI system under its \
        authority. A deployer shall keep the logs of the system.

        ## Recital 12
        Providers of high-risk AI systems are regulated because the risk to natural persons is high, and a \
        deployer relies on the provider's risk management system.

        ## Recital 13
        Transparency obligations apply to AI systems that interact with natural persons.

        ## Article 52
        Providers shall notify the authority of any serious incident within fifteen days.

        ## Article 54
        Deployers retain records. Deployers retain the records of each use, and deployers retain records long.

        ## Article 55
        Deployers shall keep the logs of the system for a period of six months, unless the provider's \
        instructions for use or Union law provide otherwise.
        """

    func library(ranking: RankingOptions = Self.ranking) async throws -> MirrorLibrary {
        let library = try await MirrorLibrary.make(ranking: ranking)
        try await library.ingestAll()
        _ = try await library.knowledgeBase.ingest(
            data: Data(Self.definitions.utf8), fileName: "note-definitions.md",
            options: DocumentLoader.Options(id: "note-definitions", title: "Definitions note", source: "Notes"))
        return library
    }

    @Test func oneRequestRanksAsTheLocalIndexWithEveryRankingStage() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await library()
        defer { library.remove() }
        let client = try QdrantClient(configuration: peer.configuration())
        try await QdrantMirror(knowledgeBase: library.knowledgeBase, client: client).syncAll()
        let info = try #require(try await client.collectionInfo())
        #expect(info.schema == .hybrid(size: 64) && info.hybrid?.model == "hashing-embedder-v1")

        let retriever = QdrantRetriever(knowledgeBase: library.knowledgeBase, client: client)
        for question in Self.questions {
            for mode in [SearchMode.hybrid, .dense] {
                let local = try await library.knowledgeBase.search(question, topK: 5, mode: mode)
                let remote = try await retriever.search(question, topK: 5, mode: mode)
                #expect(remote.fallback == nil)
                #expect(!local.isEmpty)
                #expect(remote.citations.map(\.chunkID) == local.map(\.chunkID), "\(mode) \(question)")
                for (a, b) in zip(remote.citations, local) { #expect(abs(a.score - b.score) < 1e-4, "\(question)") }
            }
        }
        // The lookups did act: the definition and Article 50 come first.
        let definition = try await retriever.search("What is a deployer?", topK: 1)
        #expect(definition.citations.first?.section?.hasPrefix("Article 3") == true)
        let provision = try await retriever.search("What does Article 52 ask of providers?", topK: 1)
        #expect(provision.citations.first?.section == "Article 52")
        // The answer-type prior: of two passages on keeping records, the one stating a period comes first for a
        // how-long question, though the other repeats the question's words.
        let period = try await retriever.search("How long do deployers retain records or logs?", topK: 1)
        #expect(period.citations.first?.section == "Article 55")

        // One search is one request to Qdrant's Query API, lookups included.
        let path = "/collections/\(client.configuration.collection)/points/query"
        let before = try await peer.requests(path: path).count
        _ = try await retriever.search("What is a deployer according to Article 3?", topK: 5)
        let made = try await peer.requests(path: path).dropFirst(before)
        #expect(made.count == 1 && (made.first?["path"] as? String)?.hasSuffix("/query/batch") == true)
    }

    @Test func aStatelessReplicaAnswersFromTheCollectionAlone() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await library()
        defer { library.remove() }
        let configuration = peer.configuration()
        try await QdrantMirror(
            knowledgeBase: library.knowledgeBase, client: try QdrantClient(configuration: configuration)
        ).syncAll()

        var options = library.knowledgeBase.options
        options.localIndex = false
        let (replica, report) = try await KnowledgeBase.open(
            dataDirectory: library.directory.appendingPathComponent("replica"), store: library.store,
            embedder: library.knowledgeBase.embedder, tokenCounter: try #require(MirrorLibrary.tokenizer),
            options: options)
        #expect(replica.index.count == 0 && report.isClean)
        #expect(!FileManager.default.fileExists(atPath: library.directory.appendingPathComponent("replica/index").path))
        let service = try SearchService(knowledgeBase: replica, qdrant: configuration)
        #expect(service.qdrant?.stateless == true)
        for question in Self.questions {
            for mode in [SearchMode.hybrid, .dense, .lexical] {
                let local = try await library.knowledgeBase.search(question, topK: 5, mode: mode)
                let remote = try await service.search(question, topK: 5, mode: mode)
                #expect(remote.citations.map(\.chunkID) == local.map(\.chunkID), "\(mode) \(question)")
                #expect(remote.citations.map(\.content) == local.map(\.content))
            }
        }
        #expect(replica.index.count == 0)

        // Without a local index there is nothing to fall back on: the search fails and says why.
        let down = try SearchService(
            knowledgeBase: replica,
            qdrant: QdrantConfiguration(url: "http://127.0.0.1:1", collection: "c", retry: .none))
        await #expect(throws: QdrantError.self) { _ = try await down.search(Self.questions[0]) }
    }

    @Test func aCollectionOfOneVectorIsMigratedBehindAnAliasWhileSearchesGoOn() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await library(ranking: .plain)
        defer { library.remove() }
        let configuration = peer.configuration()
        let client = try QdrantClient(configuration: configuration)

        // The layout of the mirror before hybrid search: one unnamed vector, the collection under its own name.
        try await client.ensureCollection(dimension: 64)
        let chunks = try await library.store.chunks(ids: library.knowledgeBase.index.ids)
        var legacy: [QdrantPoint] = []
        for chunk in chunks {
            let document = try #require(try await library.store.document(id: chunk.documentID))
            let vector = try #require(library.knowledgeBase.index.record(id: chunk.chunkID)?.vector)
            legacy.append(
                QdrantPoint(
                    id: QdrantPointID.forChunk(chunk.chunkID), vector: vector,
                    payload: QdrantMirror.payload(chunk: chunk, document: document)))
        }
        try await client.upsert(legacy)
        let retriever = QdrantRetriever(knowledgeBase: library.knowledgeBase, client: client)
        let before = try await retriever.search(Self.questions[0], topK: 5, mode: .hybrid)
        #expect(before.fallback == nil && !before.citations.isEmpty)

        // Searches run all through the migration; none may fail or fall back to the local index.
        let failures = Mutex<[String]>([])
        let searches = Mutex(0)
        let searching = Task {
            while !Task.isCancelled {
                do {
                    let outcome = try await retriever.search(Self.questions[searches.withLock { $0 } % 5], topK: 5)
                    if let fallback = outcome.fallback { failures.withLock { $0.append(fallback.description) } }
                    if outcome.citations.isEmpty { failures.withLock { $0.append("no results") } }
                } catch is CancellationError {
                    return
                } catch {
                    failures.withLock { $0.append(String(describing: error)) }
                }
                searches.withLock { $0 += 1 }
            }
        }
        let mirror = QdrantMirror(knowledgeBase: library.knowledgeBase, client: client)
        try await mirror.syncAll()
        let first = try #require(try await client.aliasTarget())
        #expect(first.hasPrefix(configuration.collection + "-"))
        // A rebuild (a new model, or BM25's average length refreshed) switches the alias and drops the old one.
        let rebuilt = try await mirror.rebuild()
        #expect(rebuilt.collection != first && rebuilt.points == chunks.count)
        try await Task.sleep(for: .milliseconds(300))
        searching.cancel()
        await searching.value
        #expect(failures.withLock { $0 } == [])
        #expect(searches.withLock { $0 } > 3)

        #expect(try await client.aliasTarget() == rebuilt.collection)
        #expect(try await client.bound(to: first).collectionInfo() == nil)
        let info = try #require(try await client.collectionInfo())
        #expect(info.schema == .hybrid(size: 64) && info.pointsCount == chunks.count)
        #expect(try await mirror.verify().agrees)
        for question in QdrantBackendTests.questions {
            let local = try await library.knowledgeBase.search(question, topK: 5, mode: .hybrid)
            let remote = try await retriever.search(question, topK: 5, mode: .hybrid)
            #expect(remote.citations.map(\.chunkID) == local.map(\.chunkID), "\(question)")
        }
    }

    @Test func theCollectionIsRebuiltWhenTheCorpusHasDoubledSoBM25FollowsIt() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await MirrorLibrary.make(ranking: Self.ranking)
        defer { library.remove() }
        let client = try QdrantClient(configuration: peer.configuration())
        let mirror = QdrantMirror(knowledgeBase: library.knowledgeBase, client: client, growthCheckInterval: .zero)
        // Built before anything was ingested: the default average length, over no chunk.
        try await mirror.syncAll()
        let empty = try #require(try await client.collectionInfo()?.hybrid)
        #expect(empty.chunks == 0 && empty.averageLength == SparseBM25.defaultAverageLength)
        let first = try await client.aliasTarget()

        try await library.ingestAll()
        for index in 0..<60 {
            _ = try await library.knowledgeBase.ingest(
                data: Data("# Note \(index)\n\nDeployers keep logs of system number \(index) for six months.".utf8),
                fileName: "filler-\(index).md",
                options: DocumentLoader.Options(id: "filler-\(index)", title: "Filler \(index)", source: "Notes"))
        }
        let stored = try await library.store.counts().chunks
        #expect(stored > 64)
        try await mirror.syncAll()
        let grown = try #require(try await client.collectionInfo()?.hybrid)
        #expect(try await client.aliasTarget() != first)
        #expect(grown.chunks == stored && grown.averageLength != SparseBM25.defaultAverageLength)
        #expect(try await mirror.verify().agrees)
        // Measured as the local index measures it, so the two rank alike.
        let retriever = QdrantRetriever(knowledgeBase: library.knowledgeBase, client: client)
        // (Questions the fillers do not answer: those tie with one another, and ties are broken per engine.)
        for question in ["risk management system for high-risk AI", "transparency obligations deep fake disclosure"] {
            let local = try await library.knowledgeBase.search(question, topK: 5, mode: .hybrid)
            let remote = try await retriever.search(question, topK: 5, mode: .hybrid)
            #expect(remote.fallback == nil && remote.citations.map(\.chunkID) == local.map(\.chunkID), "\(question)")
        }
    }

    @Test func aCollectionThatIsNotAigovsIsRefusedNotMigrated() async throws {
        let peer = try await QdrantPeer.shared()
        let library = try await library(ranking: .plain)
        defer { library.remove() }
        let client = try QdrantClient(configuration: peer.configuration())
        try await client.ensureCollection(dimension: 32)
        let error = await #expect(throws: QdrantError.self) {
            try await QdrantMirror(knowledgeBase: library.knowledgeBase, client: client).syncAll()
        }
        #expect(error?.code == .collectionMismatch)
        #expect(try await client.collectionInfo()?.schema == .single(size: 32))
        #expect(try await client.aliasTarget() == nil)
    }
}
