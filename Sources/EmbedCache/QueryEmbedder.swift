/// The embedder of the search path: answers from a bounded in-memory ``QueryEmbeddingCache``, then from the
/// persistent ``EmbeddingCache`` (read only), and embeds the rest with the model, keeping those vectors in
/// memory only.
///
/// Questions are untrusted and unbounded in number, so they must never reach the persistent cache, which
/// grows forever and syncs every write to disk; only ingestion and warm-up write it (``CachedEmbedder``).
/// Reading it stays useful: a question that equals a stored passage's text costs a lookup.
public struct QueryEmbedder: Embedder {
    public let base: any Embedder
    /// Read, never written.
    public let persistent: EmbeddingCache?
    public let memory: QueryEmbeddingCache

    /// A query embedder over `cached`'s model that reads `cached`'s persistent cache and remembers up to
    /// `memoryBytes` of keys and vectors. With `batching`, concurrent questions missing from both caches are
    /// embedded together (``BatchingEmbedder``).
    public init(reading cached: CachedEmbedder, memoryBytes: Int, batching: BatchingEmbedder.Settings? = nil) {
        base = batching.map { BatchingEmbedder(base: cached.base, settings: $0) } ?? cached.base
        persistent = cached.cache
        memory = QueryEmbeddingCache(capacityBytes: memoryBytes)
    }

    /// A query embedder over `base` with no persistent cache, remembering up to `memoryBytes`.
    public init(base: any Embedder, memoryBytes: Int, batching: BatchingEmbedder.Settings? = nil) {
        self.base = batching.map { BatchingEmbedder(base: base, settings: $0) } ?? base
        persistent = nil
        memory = QueryEmbeddingCache(capacityBytes: memoryBytes)
    }

    /// The batching stage in front of the model, when there is one.
    public var batching: BatchingEmbedder? { base as? BatchingEmbedder }

    public var dimension: Int { base.dimension }
    public var fingerprint: String { base.fingerprint }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        let keys = texts.map(EmbeddingCache.Key.init(text:))
        var vectors = keys.map(memory.lookup)
        let unresolved = vectors.indices.filter { vectors[$0] == nil }
        if let persistent, !unresolved.isEmpty {
            for (i, vector) in zip(unresolved, try persistent.lookup(unresolved.map { keys[$0] })) {
                vectors[i] = vector
            }
        }
        // Each distinct missing text is embedded once, however often it repeats.
        var missing: [EmbeddingCache.Key: Int] = [:]
        var missingTexts: [String] = []
        for i in vectors.indices where vectors[i] == nil && missing[keys[i]] == nil {
            missing[keys[i]] = missingTexts.count
            missingTexts.append(texts[i])
        }
        guard !missingTexts.isEmpty else { return vectors.map { $0! } }
        let computed = try await base.embed(missingTexts)
        guard computed.count == missingTexts.count, computed.allSatisfy({ $0.count == dimension }) else {
            throw EmbedError(
                .providerMismatch,
                "the embedder returned \(computed.count) vectors for \(missingTexts.count) texts or a wrong dimension")
        }
        for (key, index) in missing { memory.insert(key, computed[index]) }
        for i in vectors.indices where vectors[i] == nil {
            vectors[i] = computed[missing[keys[i]]!]
        }
        return vectors.map { $0! }
    }
}
