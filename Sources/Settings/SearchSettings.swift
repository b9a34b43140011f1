import Qdrant
import Retrieval

/// Where dense search runs (`RETRIEVAL_BACKEND`).
public enum RetrievalBackend: String, Sendable { case local, qdrant }

/// The settings of the search path that `aigov serve` and the search commands share: the Qdrant collection and
/// whether search reads it, the question-vector cache, BM25 stemming and the reranking stage.
public struct SearchSettings: Sendable, Equatable {
    /// The default of `QUERY_CACHE_MB`.
    public static let defaultQueryCacheMegabytes = 16
    /// The default of `RERANKER_TOP_N`.
    public static let defaultRerankerTopN = 30

    /// The Qdrant mirror's collection: set when `QDRANT_URL` is (with `QDRANT_API_KEY`, `QDRANT_COLLECTION`,
    /// `QDRANT_TIMEOUT_SECONDS`).
    public var qdrant: QdrantConfiguration?
    /// `local` (default) or `qdrant`: dense search from the Qdrant collection, BM25 and the fallback local.
    public var retrievalBackend: RetrievalBackend
    /// Megabytes of question vectors kept in memory (`QUERY_CACHE_MB`, default 16, 0 for none).
    public var queryCacheMegabytes: Int
    /// Whether BM25 matches words by their Porter stems (`BM25_STEMMING`, default true). Stemming is what
    /// Anserini's BM25 does and lifts SciFact; the governance question set scores a little better without it
    /// (docs/BENCHMARKS.md). BM25 is rebuilt at every open, so switching needs no re-ingest.
    public var bm25Stemming: Bool
    /// A sentence-transformers CrossEncoder folder (`RERANKER_MODEL_DIR`); nil: no reranking stage.
    public var rerankerDirectory: String?
    /// Candidates reranked per question (`RERANKER_TOP_N`, 1-1000, default 30).
    public var rerankerTopN: Int
    /// Whether a replica keeps a local index (`QDRANT_LOCAL_INDEX`, default true). False, with
    /// `RETRIEVAL_BACKEND=qdrant`, makes a stateless replica: no index on disk or in memory, every search answered
    /// by the hybrid collection, no local fallback when Qdrant fails.
    public var localIndex: Bool
    /// Most questions embedded in one pass of the model (`QUERY_BATCH_SIZE`, 1-256, default 32; 1 embeds each
    /// question on its own).
    public var queryBatchSize: Int
    /// Milliseconds a question waits for others while the model is busy on another core
    /// (`QUERY_BATCH_WINDOW_MS`, 0-50, default 2); a question reaching an idle model never waits.
    public var queryBatchWindowMilliseconds: Int

    /// From how many graph rows on the dense index walks its graph on one byte per dimension and keeps its float
    /// rows in a file mapping (`INDEX_QUANTIZE_FROM_ROWS`, default 100,000; 0 never): nil for never.
    public var indexQuantizeFromRows: Int?

    /// Reads the settings; throws ``ConfigurationError`` naming the first variable that cannot be used.
    public init(_ environment: EnvironmentValues = EnvironmentValues()) throws {
        qdrant = try Self.qdrant(environment)
        retrievalBackend = try Self.retrievalBackend(environment, qdrantConfigured: qdrant != nil)
        queryCacheMegabytes = try environment.integer(
            "QUERY_CACHE_MB", default: Self.defaultQueryCacheMegabytes, range: 0...65_536)
        bm25Stemming = try environment.flag("BM25_STEMMING", default: true)
        rerankerDirectory = environment.text("RERANKER_MODEL_DIR")
        rerankerTopN = try environment.integer("RERANKER_TOP_N", default: Self.defaultRerankerTopN, range: 1...1000)
        localIndex = try environment.flag("QDRANT_LOCAL_INDEX", default: true)
        queryBatchSize = try environment.integer("QUERY_BATCH_SIZE", default: 32, range: 1...256)
        queryBatchWindowMilliseconds = try environment.integer("QUERY_BATCH_WINDOW_MS", default: 2, range: 0...50)
        let quantizeFrom = try environment.integer(
            "INDEX_QUANTIZE_FROM_ROWS", default: IndexConfiguration.defaultQuantizeFromRows, range: 0...1_000_000_000)
        indexQuantizeFromRows = quantizeFrom == 0 ? nil : quantizeFrom
        guard localIndex || retrievalBackend == .qdrant else {
            throw ConfigurationError(
                variable: "QDRANT_LOCAL_INDEX", message: "false needs RETRIEVAL_BACKEND=qdrant (searches need an index)"
            )
        }
    }

    /// The Qdrant settings search uses (the collection, with the search timeout), or nil when search stays on
    /// the local index: the one place that turns `RETRIEVAL_BACKEND` into a search path, for the server and the
    /// CLI alike.
    public var searchQdrant: QdrantConfiguration? { retrievalBackend == .qdrant ? qdrant?.forSearch : nil }

    /// The collection named by `QDRANT_URL`, `QDRANT_API_KEY`, `QDRANT_COLLECTION` (default `aigov_chunks`) and
    /// `QDRANT_TIMEOUT_SECONDS` (per request, default 10); nil when `QDRANT_URL` is unset. Throws when the URL,
    /// collection name or key cannot be used (the message never holds the key).
    public static func qdrant(_ environment: EnvironmentValues) throws -> QdrantConfiguration? {
        guard let url = environment.text("QDRANT_URL") else { return nil }
        let timeout = try environment.integer("QDRANT_TIMEOUT_SECONDS", default: 10, range: 1...600)
        let configuration = QdrantConfiguration(
            url: url, apiKey: environment.text("QDRANT_API_KEY"),
            collection: environment.text("QDRANT_COLLECTION") ?? QdrantConfiguration.defaultCollection,
            requestTimeout: .seconds(timeout))
        do {
            _ = try QdrantClient(configuration: configuration)
        } catch {
            let variable =
                error.message.hasPrefix("QDRANT_COLLECTION")
                ? "QDRANT_COLLECTION" : error.message.hasPrefix("QDRANT_API_KEY") ? "QDRANT_API_KEY" : "QDRANT_URL"
            throw ConfigurationError(variable: variable, message: error.message)
        }
        return configuration
    }

    /// `RETRIEVAL_BACKEND`: `local` (the default) or `qdrant`, which needs `QDRANT_URL`.
    public static func retrievalBackend(
        _ environment: EnvironmentValues, qdrantConfigured: Bool
    ) throws -> RetrievalBackend {
        let name = environment.text("RETRIEVAL_BACKEND")?.lowercased() ?? "local"
        guard let backend = RetrievalBackend(rawValue: name) else {
            throw ConfigurationError(variable: "RETRIEVAL_BACKEND", message: "must be local or qdrant")
        }
        guard backend == .local || qdrantConfigured else {
            throw ConfigurationError(variable: "RETRIEVAL_BACKEND", message: "qdrant needs QDRANT_URL")
        }
        return backend
    }
}
