/// An `Embedder` that answers from an `EmbeddingCache` first and embeds only the misses, in one call,
/// storing them before it returns.
public struct CachedEmbedder: Embedder {
    public let base: any Embedder
    public let cache: EmbeddingCache

    public init(base: any Embedder, cache: EmbeddingCache) throws {
        guard cache.fingerprint == base.fingerprint, cache.dimension == base.dimension else {
            throw EmbedError(.cacheMismatch, "the cache belongs to another model than the embedder")
        }
        self.base = base
        self.cache = cache
    }

    public var dimension: Int { base.dimension }
    public var fingerprint: String { base.fingerprint }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        let keys = texts.map(EmbeddingCache.Key.init(text:))
        var vectors = try cache.lookup(keys)
        // Each distinct missing text is embedded once, however often it repeats.
        var missing: [EmbeddingCache.Key: Int] = [:]
        var missingTexts: [String] = []
        var missingKeys: [EmbeddingCache.Key] = []
        for (i, vector) in vectors.enumerated() where vector == nil && missing[keys[i]] == nil {
            missing[keys[i]] = missingTexts.count
            missingTexts.append(texts[i])
            missingKeys.append(keys[i])
        }
        if !missingTexts.isEmpty {
            let computed = try await base.embed(missingTexts)
            guard computed.count == missingTexts.count, computed.allSatisfy({ $0.count == dimension }) else {
                throw EmbedError(
                    .providerMismatch,
                    "the embedder returned \(computed.count) vectors for "
                        + "\(missingTexts.count) texts or a wrong dimension")
            }
            try cache.store(missingKeys, computed)
            for i in vectors.indices where vectors[i] == nil {
                vectors[i] = computed[missing[keys[i]]!]
            }
        }
        return vectors.map { $0! }
    }
}
