import Foundation
import Retrieval
import Testing

/// `IndexRecord.citation`: kept opaque through the log and the snapshot, beside records with windows or neither,
/// so a replica can cite from its index alone.
@Suite struct RecordCitationTests {
    static let configuration = IndexConfiguration(dimension: 4, hnsw: HNSWParameters(m: 4, efConstruction: 16))

    static let records = [
        IndexRecord(id: "plain", vector: [1, 0, 0, 0], text: "plain text"),
        IndexRecord(id: "cited", vector: [0, 1, 0, 0], text: "cited text", citation: #"{"o":3,"t":"Tïtle ✓"}"#),
        IndexRecord(
            id: "both", vector: [0, 0, 1, 0], text: "both", windows: [[0, 0, 1, 1]], citation: #"{"o":4}"#),
        IndexRecord(id: "windowed", vector: [0, 0, 0, 1], text: "windowed", windows: [[1, 1, 0, 0]]),
    ]

    private func check(_ index: RetrievalIndex, _ stage: Comment) {
        #expect(index.record(id: "plain")?.citation == "", stage)
        #expect(index.record(id: "cited")?.citation == #"{"o":3,"t":"Tïtle ✓"}"#, stage)
        #expect(index.record(id: "cited")?.windows == [], stage)
        #expect(index.record(id: "both")?.citation == #"{"o":4}"#, stage)
        #expect(index.record(id: "both")?.windows.count == 1, stage)
        #expect(index.record(id: "windowed")?.citation == "", stage)
        #expect(index.record(id: "windowed")?.windows.count == 1, stage)
    }

    @Test func citationsSurviveTheLogAndTheSnapshot() throws {
        let path = temporaryDirectory()
        let index = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        try index.upsert(Self.records)
        check(index, "in memory")
        let replayed = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        check(replayed, "from the log")
        try replayed.checkpoint()
        let snapshot = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        #expect(try snapshot.verify().logRecords == 0)
        check(snapshot, "from the snapshot")
        // A later write replaces the citation like any other field.
        try snapshot.upsert([IndexRecord(id: "cited", vector: [0, 1, 0, 0], text: "cited text", citation: "new")])
        #expect(
            try RetrievalIndex.open(directory: path, configuration: Self.configuration)
                .record(id: "cited")?.citation == "new")
    }
}
