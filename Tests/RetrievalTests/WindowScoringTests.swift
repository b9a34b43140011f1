import Foundation
import Retrieval
import Testing

/// Window vectors (`IndexRecord.windows`): stored through the log and the snapshot, and re-ordering dense
/// candidates by `(1 - share) * chunk cosine + share * best window cosine`.
@Suite struct WindowScoringTests {
    static let configuration = IndexConfiguration(dimension: 8, hnsw: HNSWParameters(m: 4, efConstruction: 16))

    static func axis(_ values: [Int: Float]) -> [Float] {
        (0..<8).map { values[$0] ?? 0 }
    }

    /// A is nearer the question as a whole (cosine 0.8); B less so (0.7) but holds a window that is exactly the
    /// question, given at twice unit length so the index must scale it.
    static let records = [
        IndexRecord(id: "A", vector: axis([0: 0.8, 1: 0.6]), text: "alpha"),
        IndexRecord(
            id: "B", vector: axis([0: 0.7, 2: 0.714_142_8]), text: "beta",
            windows: [axis([0: 2]), axis([3: 1])]),
        IndexRecord(id: "C", vector: axis([4: 1]), text: "gamma"),
    ]

    func order(_ index: RetrievalIndex, share: Double, mode: SearchMode = .dense) throws -> [String] {
        var ranking = RankingOptions.plain
        ranking.windowShare = share
        return try index.search(
            SearchQuery(vector: Self.axis([0: 1]), text: "delta", mode: mode, k: 2, ranking: ranking)
        ).map(\.id)
    }

    @Test func theBestWindowLiftsItsRecordAndSurvivesReopening() throws {
        let path = temporaryDirectory()
        let index = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        try index.upsert(Self.records)
        #expect(try order(index, share: 0) == ["A", "B"])
        #expect(try order(index, share: 0.5) == ["B", "A"])
        var ranking = RankingOptions.plain
        ranking.windowShare = 0.5
        let best = try index.search(
            SearchQuery(vector: Self.axis([0: 1]), mode: .dense, k: 1, ranking: ranking)
        ).first
        #expect(abs((best?.score ?? 0) - 0.85) < 1e-4, "0.5 x 0.7 + 0.5 x 1")
        let stored = try #require(index.record(id: "B"))
        #expect(stored.windows.count == 2)
        #expect(stored.windows.allSatisfy { abs(VectorMath.dot($0, $0) - 1) < 1e-5 }, "unit length under cosine")
        #expect(index.record(id: "A")?.windows == [])

        // From the log alone, then from a snapshot.
        let replayed = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        #expect(try order(replayed, share: 0.5) == ["B", "A"])
        #expect(replayed.record(id: "B")?.windows == stored.windows)
        try replayed.checkpoint()
        let snapshot = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        #expect(try snapshot.verify().logRecords == 0)
        #expect(try order(snapshot, share: 0.5) == ["B", "A"])
        #expect(snapshot.record(id: "B")?.windows == stored.windows)
        #expect(snapshot.record(id: "A")?.windows == [])
    }

    @Test func windowsReorderTheDenseListOfAHybridSearch() throws {
        let index = try RetrievalIndex.open(directory: temporaryDirectory(), configuration: Self.configuration)
        try index.upsert(Self.records)
        var ranking = RankingOptions.plain
        ranking.windowShare = 0.5
        let hits = try index.search(
            SearchQuery(vector: Self.axis([0: 1]), text: "delta", mode: .hybrid, k: 3, ranking: ranking))
        #expect(hits.first(where: { $0.id == "B" })?.denseRank == 1)
        #expect(hits.first(where: { $0.id == "A" })?.denseRank == 2)
    }

    @Test func aWindowOfTheWrongShapeIsRefused() throws {
        let index = try RetrievalIndex.open(directory: temporaryDirectory(), configuration: Self.configuration)
        let short = IndexRecord(id: "X", vector: Self.axis([0: 1]), windows: [[1, 0]])
        #expect(errorCode { try index.upsert([short]) } == .dimensionMismatch)
        let zero = IndexRecord(id: "X", vector: Self.axis([0: 1]), windows: [Self.axis([:])])
        #expect(errorCode { try index.upsert([zero]) } == .invalidVector)
        #expect(index.count == 0)
    }

    @Test func underL2WindowsAreKeptButDoNotScore() throws {
        var configuration = Self.configuration
        configuration.metric = .l2
        let path = temporaryDirectory()
        let index = try RetrievalIndex.open(directory: path, configuration: configuration)
        try index.upsert(Self.records)
        #expect(try order(index, share: 0.5) == order(index, share: 0))
        #expect(index.record(id: "B")?.windows.first == Self.axis([0: 2]), "not rescaled under l2")
        try index.checkpoint()
        let reopened = try RetrievalIndex.open(directory: path, configuration: configuration)
        #expect(reopened.record(id: "B")?.windows.count == 2)
    }
}
