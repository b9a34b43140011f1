import Foundation
import TextAnalysis

/// Settings of a ``RetrievalIndex``. The dimension and metric are fixed when the index is created; a
/// stored index opened with different ones is refused.
public struct IndexConfiguration: Sendable {
    /// Components per vector.
    public var dimension: Int
    /// How vectors are compared.
    public var metric: Metric
    /// Graph parameters (M, efConstruction, default ef).
    public var hnsw: HNSWParameters
    /// Below this many live records, dense search is exact (BLAS over all rows) instead of HNSW.
    public var exactSearchThreshold: Int
    /// The graph is rebuilt from live records once more than this fraction of its rows are deleted.
    public var rebuildDeletedFraction: Double
    /// A filter admitting at most this fraction of live records is answered by exact search over the
    /// admitted records, since graph search would have to walk most of the graph to find enough of them.
    public var selectiveFilterFraction: Double
    /// A snapshot is written once the write-ahead log grows past this many bytes.
    public var checkpointLogBytes: Int
    /// Whether BM25 reduces words to their Porter stems (see ``Tokenizer``). Not stored with the index: BM25
    /// is rebuilt from the record texts at every open, so either setting opens any index.
    public var stemming: Bool
    /// Threads that link the rows of a large write (at least ``parallelInsertRows`` records) or of a rebuild into
    /// the graph (``HNSWIndex/add(contentsOf:count:threads:)``); default every core. 1 links one row at a time,
    /// which gives the same graph on every run.
    public var insertThreads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// From this many graph rows on, searches walk the graph on one byte per dimension and rescore their
    /// candidates on the floats (``HNSWIndex/quantize(spillingRowsTo:)``); nil never. Below it the floats are walked: a small
    /// graph's rows stay in the CPU caches, where bytes save nothing (docs/BENCHMARKS.md, "int8 vectors").
    public var quantizeFromRows: Int? = IndexConfiguration.defaultQuantizeFromRows
    /// Fault injection for crash tests: called at named points of the write path. Production code leaves
    /// it nil.
    public var writePointHook: (@Sendable (WritePoint) -> Void)?

    /// A configuration with the design defaults for everything but the dimension.
    public init(
        dimension: Int, metric: Metric = .cosine, hnsw: HNSWParameters = HNSWParameters(),
        exactSearchThreshold: Int = 20_000, rebuildDeletedFraction: Double = 0.2,
        selectiveFilterFraction: Double = 0.02, checkpointLogBytes: Int = 64 << 20, stemming: Bool = true,
        writePointHook: (@Sendable (WritePoint) -> Void)? = nil
    ) {
        self.dimension = dimension
        self.metric = metric
        self.hnsw = hnsw
        self.exactSearchThreshold = exactSearchThreshold
        self.rebuildDeletedFraction = rebuildDeletedFraction
        self.selectiveFilterFraction = selectiveFilterFraction
        self.checkpointLogBytes = checkpointLogBytes
        self.stemming = stemming
        self.writePointHook = writePointHook
    }
}

extension IndexConfiguration {
    /// Writes of fewer records are linked one at a time: threads cost more than they save on a few rows.
    public static let parallelInsertRows = 256
    /// The default of ``quantizeFromRows``.
    public static let defaultQuantizeFromRows = 100_000
}

/// Named points of the write path, where crash tests stop the process.
public enum WritePoint: String, Sendable, CaseIterable {
    /// Half of a log record is written, not yet fsynced.
    case midLogAppend = "mid-log-append"
    /// A log record is fsynced; the write is not yet applied in memory nor acknowledged.
    case afterLogSync = "after-log-sync"
    /// Half of a new snapshot segment is written.
    case midSegmentWrite = "mid-segment-write"
    /// The new segment and its empty log are fsynced; the manifest still names the old ones.
    case afterSegmentSync = "after-segment-sync"
    /// The new manifest is written and fsynced under its temporary name, not yet renamed.
    case beforeManifestRename = "before-manifest-rename"
    /// The manifest names the new snapshot; old files are not yet removed.
    case afterManifestRename = "after-manifest-rename"
}
