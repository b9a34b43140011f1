import Foundation
import Retrieval
import Testing

@Suite struct PersistenceTests {
    static let configuration = IndexConfiguration(dimension: 8, hnsw: HNSWParameters(m: 4, efConstruction: 16))

    static func records(_ range: Range<Int>) -> [IndexRecord] {
        var random = TestRandom(UInt64(range.lowerBound + 1))
        return range.map {
            IndexRecord(
                id: "r\($0)", vector: random.vector(8), text: "record \($0) Article \($0)", documentID: "d\($0 % 3)",
                source: "s", docType: "t", section: "Article \($0)")
        }
    }

    /// Writes a snapshot of 0..<40, then logs 40..<50 and deletes r3 without a snapshot.
    func populated() throws -> String {
        let path = temporaryDirectory()
        let index = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        try index.upsert(Self.records(0..<40))
        try index.checkpoint()
        try index.upsert(Self.records(40..<50))
        try index.delete(ids: ["r3"])
        return path
    }

    func file(_ path: String, _ prefix: String) throws -> String {
        let name = try FileManager.default.contentsOfDirectory(atPath: path).first { $0.hasPrefix(prefix) }!
        return path + "/" + name
    }

    @Test func reopenRestoresSnapshotPlusLog() throws {
        let path = try populated()
        let index = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        #expect(index.count == 49)
        #expect(index.ids == Self.records(0..<50).map(\.id).filter { $0 != "r3" }.sorted())
        let original = Self.records(40..<50)[5]
        let restored = try #require(index.record(id: original.id))
        #expect(restored.text == original.text && restored.section == original.section)
        #expect(abs(VectorMath.dot(restored.vector, VectorMath.normalized(original.vector)!) - 1) < 1e-5)
        let hits = try index.search(SearchQuery(vector: original.vector, text: "Article 45", mode: .hybrid, k: 1))
        #expect(hits.first?.id == "r45")
        let report = try index.verify()
        #expect(report.liveRecords == 49 && report.logRecords == 2 && report.segmentBytes > 0)
        try index.checkpoint()
        let again = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        #expect(again.ids == index.ids)
        #expect(try again.verify().logRecords == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        #expect(names.count == 3, "old generation files removed: \(names)")
    }

    @Test func otherDimensionOrMetricIsRefused() throws {
        let path = try populated()
        var other = Self.configuration
        other.dimension = 9
        #expect(
            errorCode { _ = try RetrievalIndex.open(directory: path, configuration: other) } == .configurationMismatch)
        other = Self.configuration
        other.metric = .l2
        #expect(
            errorCode { _ = try RetrievalIndex.open(directory: path, configuration: other) } == .configurationMismatch)
    }

    @Test func otherFormatVersionIsRefused() throws {
        let path = try populated()
        let manifest = path + "/MANIFEST"
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\"format_version\":1", with: "\"format_version\":2")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(
            errorCode { _ = try RetrievalIndex.open(directory: path, configuration: Self.configuration) }
                == .unsupportedVersion)
        // The segment carries its own version too (bytes 8..<12), covered by the header checksum: a segment
        // claiming another version with a valid header checksum is refused as unsupported.
        try text.write(toFile: manifest, atomically: true, encoding: .utf8)
        let segment = try file(path, "segment-")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[8] = 7
        let crc = Checksum.crc32c(Array(bytes[0..<32]))
        withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { bytes[32 + i] = $0[i] } }
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        #expect(
            errorCode { _ = try RetrievalIndex.open(directory: path, configuration: Self.configuration) }
                == .unsupportedVersion)
    }

    @Test func truncatedSegmentIsRefused() throws {
        let path = try populated()
        let segment = try file(path, "segment-")
        let size = try FileManager.default.attributesOfItem(atPath: segment)[.size] as! Int
        for keep in [size - 1, size / 2, 20] {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: segment))
            try handle.truncate(atOffset: UInt64(keep))
            try handle.close()
            #expect(
                errorCode { _ = try RetrievalIndex.open(directory: path, configuration: Self.configuration) }
                    == .truncatedFile,
                "kept \(keep) bytes")
        }
    }

    @Test func corruptedSegmentIsRefused() throws {
        let path = try populated()
        let segment = try file(path, "segment-")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[bytes.count / 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        #expect(
            errorCode { _ = try RetrievalIndex.open(directory: path, configuration: Self.configuration) }
                == .checksumMismatch)
        bytes[bytes.count / 2] ^= 0x10
        bytes[0] = UInt8(ascii: "X")
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        #expect(
            errorCode { _ = try RetrievalIndex.open(directory: path, configuration: Self.configuration) }
                == .notAnIndexFile)
    }

    @Test func corruptedLogRecordIsRefusedButATornTailIsDropped() throws {
        let path = try populated()
        let log = try file(path, "wal-")
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: log)))
        // Flip a byte inside the first of two records: acknowledged data is damaged, so opening fails.
        var damaged = original
        damaged[28 + 20] ^= 0x01
        try Data(damaged).write(to: URL(fileURLWithPath: log))
        #expect(
            errorCode { _ = try RetrievalIndex.open(directory: path, configuration: Self.configuration) }
                == .checksumMismatch)
        // Cut the last record short: that write was never acknowledged, so it is dropped and the rest kept.
        try Data(original.dropLast(3)).write(to: URL(fileURLWithPath: log))
        let index = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        #expect(index.count == 50)  // the delete of r3 was the torn record
        #expect(index.record(id: "r3") != nil)
        #expect(try index.verify().logRecords == 1)
        // The torn bytes were cut off, so a new write follows the last whole record.
        try index.delete(ids: ["r4"])
        let reopened = try RetrievalIndex.open(directory: path, configuration: Self.configuration)
        #expect(reopened.count == 49 && reopened.record(id: "r4") == nil)
    }

    @Test func damagedManifestIsRefused() throws {
        let path = try populated()
        try "{\"format_version\":1,".write(toFile: path + "/MANIFEST", atomically: true, encoding: .utf8)
        #expect(
            errorCode { _ = try RetrievalIndex.open(directory: path, configuration: Self.configuration) }
                == .corruptManifest)
    }

    @Test func checksumIsCRC32C() {
        #expect(Checksum.crc32c(Array("123456789".utf8)) == 0xE306_9283)
        #expect(Checksum.crc32c(Array(repeating: 0, count: 32)) == 0x8A91_36AA)
    }
}
