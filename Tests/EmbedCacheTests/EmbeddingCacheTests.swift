import EmbedCache
import Foundation
import Synchronization
import Testing

@Suite struct EmbeddingCacheTests {
    private func vector(_ seed: Int, dimension: Int = 8) -> [Float] {
        (0..<dimension).map { Float(seed * 100 + $0) / 7 }
    }

    private func keys(_ range: Range<Int>) -> [EmbeddingCache.Key] {
        range.map { EmbeddingCache.Key(text: "text \($0)") }
    }

    @Test func storedVectorsSurviveReopen() throws {
        let dir = try Fixtures.temporaryDirectory()
        do {
            let cache = try EmbeddingCache(directory: dir, fingerprint: "model-a", dimension: 8)
            try cache.store(keys(0..<10), (0..<10).map { vector($0) })
        }
        let reopened = try EmbeddingCache(directory: dir, fingerprint: "model-a", dimension: 8)
        let found = try reopened.lookup(keys(0..<12))
        for i in 0..<10 { #expect(found[i] == vector(i)) }
        #expect(found[10] == nil && found[11] == nil)
        let stats = reopened.statistics
        #expect(stats.entries == 10 && stats.hits == 10 && stats.misses == 2 && stats.corrupt == 0)
    }

    @Test func fingerprintsAreSeparateCaches() throws {
        let dir = try Fixtures.temporaryDirectory()
        let a = try EmbeddingCache(directory: dir, fingerprint: "model-a", dimension: 8)
        try a.store(keys(0..<3), (0..<3).map { vector($0) })
        let b = try EmbeddingCache(directory: dir, fingerprint: "model-b", dimension: 8)
        #expect(try b.lookup(keys(0..<3)).allSatisfy { $0 == nil })
    }

    @Test func tornTailIsCutAndEarlierRecordsKept() throws {
        let dir = try Fixtures.temporaryDirectory()
        let cache = try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8)
        try cache.store(keys(0..<5), (0..<5).map { vector($0) })
        let size = try FileManager.default.attributesOfItem(atPath: cache.fileURL.path)[.size] as! Int
        // A writer that died mid-append: half a record of junk at the end.
        let handle = try FileHandle(forWritingTo: cache.fileURL)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0xAB, count: 20))
        try handle.close()

        let reopened = try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8)
        let found = try reopened.lookup(keys(0..<5))
        for i in 0..<5 { #expect(found[i] == vector(i)) }
        #expect(try FileManager.default.attributesOfItem(atPath: cache.fileURL.path)[.size] as! Int == size)
        try reopened.store(keys(5..<6), [vector(5)])
        #expect(try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8).lookup(keys(5..<6))[0] == vector(5))
    }

    @Test func corruptedRecordIsNeverReturned() throws {
        let dir = try Fixtures.temporaryDirectory()
        let cache = try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8)
        try cache.store(keys(0..<3), (0..<3).map { vector($0) })
        // Flip one byte inside the second record's vector (header 128 bytes, records 32 + 32 + 4).
        var bytes = try Data(contentsOf: cache.fileURL)
        bytes[128 + 68 + 40] ^= 0xFF
        try bytes.write(to: cache.fileURL)

        let reopened = try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8)
        let found = try reopened.lookup(keys(0..<3))
        #expect(found[0] == vector(0))
        #expect(found[1] == nil)
        #expect(found[2] == vector(2))
        #expect(reopened.statistics.corrupt == 1)
        // The live instance re-reads and re-checks: it must not return the damaged bytes either.
        #expect(try cache.lookup(keys(1..<2))[0] == nil)
    }

    @Test func foreignOrOtherVersionFileIsRefused() throws {
        let dir = try Fixtures.temporaryDirectory()
        let cache = try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8)
        var bytes = try Data(contentsOf: cache.fileURL)
        bytes[8] = 99  // format version
        try bytes.write(to: cache.fileURL)
        #expect(throws: EmbedError.self) { try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8) }
        try Data("not a cache at all, just text".utf8 + Data(count: 200)).write(to: cache.fileURL)
        do {
            _ = try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8)
            Issue.record("a foreign file was accepted")
        } catch let error as EmbedError {
            #expect(error.code == .cacheMismatch)
        }
    }

    @Test func wrongDimensionIsRejectedOnStore() throws {
        let cache = try EmbeddingCache(directory: try Fixtures.temporaryDirectory(), fingerprint: "m", dimension: 8)
        #expect(throws: EmbedError.self) { try cache.store(keys(0..<1), [[1, 2, 3]]) }
    }

    @Test func secondInstanceSeesFirstInstancesWrites() throws {
        // Two instances hold separate file descriptions, as two processes would.
        let dir = try Fixtures.temporaryDirectory()
        let writer = try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8)
        let reader = try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8)
        #expect(try reader.lookup(keys(0..<1))[0] == nil)
        try writer.store(keys(0..<4), (0..<4).map { vector($0) })
        try reader.store(keys(4..<6), (4..<6).map { vector($0) })
        let found = try reader.lookup(keys(0..<6))
        for i in 0..<6 { #expect(found[i] == vector(i)) }
        #expect(try writer.lookup(keys(4..<6)) == [vector(4), vector(5)])
    }

    @Test func concurrentReadersAndWritersAgree() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let cache = try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for round in 0..<10 {
                        let n = worker * 1000 + round
                        try cache.store([EmbeddingCache.Key(text: "text \(n)")], [self.vector(n)])
                        let all = try cache.lookup([EmbeddingCache.Key(text: "text \(n)")])
                        #expect(all[0] == self.vector(n))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(cache.statistics.entries == 80)
        let reopened = try EmbeddingCache(directory: dir, fingerprint: "m", dimension: 8)
        #expect(reopened.statistics.entries == 80)
    }
}

/// An embedder that counts the texts it is asked for, to observe what `CachedEmbedder` computes.
private final class CountingEmbedder: Embedder {
    let dimension = 4
    let fingerprint = "counting"
    let asked = Mutex<[String]>([])

    func embed(_ texts: [String]) async throws -> [[Float]] {
        asked.withLock { $0 += texts }
        return texts.map { text in (0..<4).map { Float(text.utf8.count + $0) } }
    }
}

@Suite struct CachedEmbedderTests {
    @Test func embedsOnlyDistinctMissesAndStoresThem() async throws {
        let dir = try Fixtures.temporaryDirectory()
        let base = CountingEmbedder()
        let cache = try EmbeddingCache(directory: dir, fingerprint: base.fingerprint, dimension: 4)
        let cached = try CachedEmbedder(base: base, cache: cache)
        let first = try await cached.embed(["a", "bb", "a", "ccc"])
        #expect(base.asked.withLock { $0 } == ["a", "bb", "ccc"])
        #expect(first[0] == first[2] && first[1] == [2, 3, 4, 5])
        let second = try await cached.embed(["ccc", "dddd", "a"])
        #expect(base.asked.withLock { $0 } == ["a", "bb", "ccc", "dddd"])
        #expect(second == [first[3], [4, 5, 6, 7], first[0]])
    }

    @Test func cacheOfAnotherModelIsRefused() throws {
        let cache = try EmbeddingCache(directory: try Fixtures.temporaryDirectory(), fingerprint: "x", dimension: 4)
        #expect(throws: EmbedError.self) { try CachedEmbedder(base: CountingEmbedder(), cache: cache) }
    }
}
