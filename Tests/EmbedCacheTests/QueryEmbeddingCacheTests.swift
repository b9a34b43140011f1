import EmbedCache
import Foundation
import Synchronization
import Testing

/// A model stand-in that counts the texts it embeds: vector i of a text is its length plus i.
private final class CountingEmbedder: Embedder {
    let dimension = 8
    let fingerprint = "counting"
    private let counter = Mutex(0)
    var embedded: Int { counter.withLock { $0 } }

    func embed(_ texts: [String]) async throws -> [[Float]] {
        counter.withLock { $0 += texts.count }
        return texts.map { text in (0..<dimension).map { Float(text.utf8.count + $0) } }
    }
}

@Suite struct QueryEmbeddingCacheTests {
    private func key(_ i: Int) -> EmbeddingCache.Key { EmbeddingCache.Key(text: "question \(i)") }
    private func vector(_ i: Int) -> [Float] { (0..<8).map { Float(i * 10 + $0) } }

    @Test func aHitReturnsTheStoredVector() {
        let cache = QueryEmbeddingCache(capacityBytes: 1 << 20)
        #expect(cache.lookup(key(1)) == nil)
        cache.insert(key(1), vector(1))
        #expect(cache.lookup(key(1)) == vector(1))
        let statistics = cache.statistics
        #expect(statistics.hits == 1 && statistics.misses == 1 && statistics.entries == 1)
        #expect(statistics.bytes == QueryEmbeddingCache.cost(dimension: 8))
    }

    @Test func evictionKeepsTheByteBudgetAndDropsTheLeastRecentlyUsed() {
        let cost = QueryEmbeddingCache.cost(dimension: 8)
        #expect(cost == 32 + 8 * 4)
        let cache = QueryEmbeddingCache(capacityBytes: 3 * cost + cost / 2)
        for i in 0..<3 { cache.insert(key(i), vector(i)) }
        // Touching 0 makes 1 the least recently used.
        #expect(cache.lookup(key(0)) == vector(0))
        cache.insert(key(3), vector(3))
        #expect(cache.lookup(key(1)) == nil)
        #expect(cache.lookup(key(0)) == vector(0) && cache.lookup(key(2)) == vector(2))
        #expect(cache.lookup(key(3)) == vector(3))
        for i in 4..<1_000 {
            cache.insert(key(i), vector(i))
            #expect(cache.statistics.bytes <= cache.capacityBytes)
        }
        let statistics = cache.statistics
        #expect(statistics.entries == 3 && statistics.bytes == 3 * cost && statistics.evictions == 997)
        #expect((997..<1_000).allSatisfy { cache.lookup(key($0)) == vector($0) })
    }

    @Test func aZeroBudgetHoldsNothing() {
        let cache = QueryEmbeddingCache(capacityBytes: 0)
        cache.insert(key(1), vector(1))
        #expect(cache.lookup(key(1)) == nil && cache.statistics.bytes == 0)
    }

    @Test func queriesReadThePersistentCacheButNeverWriteIt() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let base = CountingEmbedder()
        let cache = try EmbeddingCache(directory: directory, fingerprint: base.fingerprint, dimension: base.dimension)
        let ingest = try CachedEmbedder(base: base, cache: cache)
        let stored = try await ingest.embed(["a stored passage"])[0]
        let before = try Data(contentsOf: cache.fileURL)

        let queries = QueryEmbedder(reading: ingest, memoryBytes: 1 << 20)
        #expect(try await queries.embed(["a stored passage"]) == [stored])
        #expect(base.embedded == 1)
        let vectors = try await queries.embed(["new question", "new question", "another"])
        #expect(base.embedded == 3)
        #expect(vectors[0] == vectors[1] && vectors[0] == (0..<8).map { Float(12 + $0) })
        // A repeat is answered from memory.
        #expect(try await queries.embed(["another"])[0] == vectors[2])
        #expect(base.embedded == 3 && queries.memory.statistics.hits >= 1)
        #expect(try Data(contentsOf: cache.fileURL) == before)
        #expect(try EmbeddingCache(directory: directory, fingerprint: "counting", dimension: 8).statistics.entries == 1)
    }
}
