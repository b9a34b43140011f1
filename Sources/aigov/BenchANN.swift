import ArgumentParser
import Foundation
import Retrieval
import Synchronization

/// `aigov bench ann`: HNSW build time, memory, recall and query speed on fvecs/ivecs files (the
/// TEXMEX/ann-benchmarks layout), or `--generate clustered` to write such files with exact ground truth.
struct BenchANN: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ann",
        abstract: "ANN benchmark: HNSW build time, memory, recall@k and QPS on fvecs/ivecs files.",
        discussion: """
            Benchmark: aigov bench ann --base B.fvecs --query Q.fvecs --groundtruth G.ivecs --json
            Generate:  aigov bench ann --generate clustered --rows 100000 --dim 384 --out DIR
                       (writes DIR/base.fvecs, DIR/query.fvecs, DIR/groundtruth.ivecs; cosine ground truth)
            """
    )

    @Option(help: "Base vectors (.fvecs).") var base: String?
    @Option(help: "Query vectors (.fvecs).") var query: String?
    @Option(help: "Ground-truth neighbour ids (.ivecs), nearest first.") var groundtruth: String?
    @Option(help: "cosine or l2.") var metric: String = "cosine"
    @Option(help: "Neighbours per query for recall@k.") var k: Int = 10
    @Option(help: "HNSW M (2M links on layer 0).") var m: Int = 16
    @Option(help: "HNSW efConstruction.") var efConstruction: Int = 200
    @Option(help: "Comma-separated efSearch values.") var ef: String = "10,20,40,80,160,320"
    @Option(help: "Query threads.") var threads: Int = 1
    @Option(
        help: """
            Threads that link the rows while the index builds (HNSWIndex.add(contentsOf:count:threads:), as \
            hnswlib's add_items with num_threads); 1 builds row by row.
            """)
    var buildThreads: Int = 1
    @Flag(
        help: """
            After the float runs, encode the rows as bytes (HNSWIndex.quantize(): one byte per dimension) and run \
            every ef again with searches that walk the graph on the codes and rescore their candidates on the \
            floats ("quantized_runs"): both on the same graph, in the same process.
            """)
    var quantize = false
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(
        help: """
            While the index builds, search it from another thread without pause (the queries in turn, at the \
            first --ef) and report those searches' latency: how much inserts stall concurrent searches.
            """)
    var searchDuringBuild = false

    @Option(help: "Generate a synthetic set instead of benchmarking: 'clustered'.") var generate: String?
    @Option(help: "Rows to generate.") var rows: Int = 100_000
    @Option(help: "Dimension to generate.") var dim: Int = 384
    @Option(help: "Queries to generate.") var queries: Int = 1000
    @Option(help: "Clusters to generate (default rows / 100).") var clusters: Int?
    @Option(help: "Neighbours stored per query in the generated ground truth.") var groundtruthK: Int = 100
    @Option(help: "Random seed for generation.") var seed: UInt64 = 1
    @Option(help: "Output directory for generation.") var out: String?

    func run() async throws {
        if let generate {
            guard generate == "clustered" else { throw ValidationError("--generate supports only 'clustered'") }
            guard let out else { throw ValidationError("--generate needs --out DIR") }
            try generateClustered(into: out)
            return
        }
        guard let base, let query, let groundtruth else {
            throw ValidationError("--base, --query and --groundtruth are required (or use --generate)")
        }
        guard let metric = Metric(rawValue: metric) else { throw ValidationError("--metric must be cosine or l2") }
        let efs = try ef.split(separator: ",").map { part -> Int in
            guard let value = Int(part.trimmingCharacters(in: .whitespaces)), value > 0 else {
                throw ValidationError("bad --ef value '\(part)'")
            }
            return value
        }
        guard (1...256).contains(buildThreads) else { throw ValidationError("--build-threads must be from 1 to 256") }
        let queryRows = try VectorFile.readFvecs(query)
        let truth = try VectorFile.readIvecs(groundtruth)
        guard truth.count == queryRows.count, truth.allSatisfy({ $0.count >= k }) else {
            throw ValidationError("ground truth must have one row of at least k ids per query")
        }

        // Stream the base file into the index chunk by chunk so the process never holds a second copy.
        let parameters = HNSWParameters(m: m, efConstruction: efConstruction)
        let header = try VectorFile.fvecsShape(base)
        let index = HNSWIndex(dimension: header.dimension, metric: metric, parameters: parameters)
        index.reserveCapacity(header.rows)
        let progress = ProgressBar("build", total: header.rows)
        let prober = searchDuringBuild ? ConcurrentSearches(index: index, queries: queryRows, k: k, ef: efs[0]) : nil
        let started = monotonicSeconds()
        try VectorFile.forEachFvecsChunk(base, rowsPerChunk: 4096) { pointer, count in
            if buildThreads > 1 {
                try index.add(contentsOf: pointer, count: count, threads: buildThreads)
            } else {
                for r in 0..<count { try index.add(pointer + r * header.dimension) }
            }
            progress.advance(by: count)
        }
        let buildSeconds = monotonicSeconds() - started
        let duringBuild = prober?.stop()
        progress.finish()

        let runs = sweep(index: index, efs: efs, queries: queryRows, truth: truth, label: "float")
        var quantizeSeconds: Double?
        var quantizedRuns: [[String: Any]]?
        var rssAfterQuantize = 0
        var splitAfterQuantize = (anonymous: 0, file: 0)
        let floatBytes = index.memoryBytes
        let rssBeforeQuantize = currentRSSBytes()
        let splitBeforeQuantize = residentSplitBytes()
        if quantize {
            let started = monotonicSeconds()
            let spill = NSTemporaryDirectory() + "aigov-bench-rows-\(getpid())"
            try index.quantize(spillingRowsTo: spill)
            quantizeSeconds = monotonicSeconds() - started
            rssAfterQuantize = currentRSSBytes()
            splitAfterQuantize = residentSplitBytes()
            quantizedRuns = sweep(index: index, efs: efs, queries: queryRows, truth: truth, label: "int8")
        }
        var summary: [String: Any] = [
            "implementation": "aigov-swift",
            "rows": header.rows, "dim": header.dimension, "metric": metric.rawValue, "k": k, "m": m,
            "ef_construction": efConstruction, "threads": threads, "build_threads": buildThreads,
            "build_seconds": buildSeconds,
            "index_bytes": floatBytes,
            "raw_vector_bytes": header.rows * header.dimension * 4,
            "peak_rss_bytes": peakRSSBytes(),
            "runs": runs,
        ]
        if let quantizeSeconds, let quantizedRuns, let codes = index.quantizedBytes {
            summary["quantize_seconds"] = quantizeSeconds
            summary["quantized_runs"] = quantizedRuns
            summary["code_bytes"] = codes
            summary["index_bytes_quantized"] = index.memoryBytes
            summary["rss_before_quantize_bytes"] = rssBeforeQuantize
            summary["rss_after_quantize_bytes"] = rssAfterQuantize
            summary["rss_after_quantized_runs_bytes"] = currentRSSBytes()
            let splitAfterRuns = residentSplitBytes()
            summary["rss_anonymous_bytes"] = [
                "before_quantize": splitBeforeQuantize.anonymous, "after_quantize": splitAfterQuantize.anonymous,
                "after_quantized_runs": splitAfterRuns.anonymous,
            ]
            summary["rss_file_bytes"] = [
                "before_quantize": splitBeforeQuantize.file, "after_quantize": splitAfterQuantize.file,
                "after_quantized_runs": splitAfterRuns.file,
            ]
            summary["rows_spilled"] = index.rowsSpilled
        }
        if let duringBuild {
            summary["search_during_build"] = [
                "searches": duringBuild.count, "p50_us": duringBuild.p50 * 1e6, "p99_us": duringBuild.p99 * 1e6,
                "max_us": duringBuild.max * 1e6,
            ]
            if !json {
                print(
                    String(
                        format: "searches during build: %d, p50=%.1fus p99=%.1fus max=%.1fus", duringBuild.count,
                        duringBuild.p50 * 1e6, duringBuild.p99 * 1e6, duringBuild.max * 1e6))
            }
        }
        if json {
            try printJSON(summary)
        } else {
            print(
                String(
                    format: "rows=%d dim=%d build=%.2fs index=%.1f MiB (raw %.1f MiB) peak RSS=%.1f MiB", header.rows,
                    header.dimension, buildSeconds, Double(floatBytes) / 1_048_576,
                    Double(header.rows * header.dimension * 4) / 1_048_576, Double(peakRSSBytes()) / 1_048_576))
            if let quantizeSeconds, let codes = index.quantizedBytes {
                print(
                    String(
                        format:
                            "int8 codes: %.1f MiB, encoded in %.2fs; RSS %.1f MiB before, %.1f after, %.1f after the runs",
                        Double(codes) / 1_048_576, quantizeSeconds, Double(rssBeforeQuantize) / 1_048_576,
                        Double(rssAfterQuantize) / 1_048_576, Double(currentRSSBytes()) / 1_048_576))
            }
        }
    }

    /// Runs every query at each ef and scores recall@k; one JSON-ready object per ef.
    private func sweep(
        index: HNSWIndex, efs: [Int], queries queryRows: [[Float]], truth: [[Int32]], label: String
    ) -> [[String: Any]] {
        var runs: [[String: Any]] = []
        for efValue in efs {
            let (results, latencies, wall) = runQueries(index: index, queries: queryRows, efValue: efValue)
            var hits = 0
            for (found, expected) in zip(results, truth) {
                let wanted = Set(expected.prefix(k))
                hits += found.prefix(k).filter { wanted.contains(Int32(bitPattern: $0)) }.count
            }
            let latency = LatencyPercentiles(latencies)
            let run: [String: Any] = [
                "ef": efValue,
                "recall": Double(hits) / Double(k * queryRows.count),
                "qps": Double(queryRows.count) / wall,
                "p50_us": latency.p50 * 1e6,
                "p99_us": latency.p99 * 1e6,
            ]
            runs.append(run)
            if !json {
                print(
                    label
                        + String(
                            format: " ef=%4d recall@%d=%.4f qps=%9.1f p50=%8.1fus p99=%8.1fus", efValue, k,
                            run["recall"] as! Double, run["qps"] as! Double, run["p50_us"] as! Double,
                            run["p99_us"] as! Double))
            }
        }
        return runs
    }

    /// Runs every query at one ef; returns labels per query, per-query latencies and the wall time.
    private func runQueries(index: HNSWIndex, queries: [[Float]], efValue: Int) -> ([[UInt32]], [Double], Double) {
        let results = ResultSlots(count: queries.count)
        let started = monotonicSeconds()
        let workers = max(1, threads)
        if workers == 1 {
            for (i, q) in queries.enumerated() { results.record(i, search(index, q, efValue)) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for i in stride(from: worker, to: queries.count, by: workers) {
                    results.record(i, search(index, queries[i], efValue))
                }
            }
        }
        let wall = monotonicSeconds() - started
        return (results.labels, results.latencies, wall)
    }

    private func search(_ index: HNSWIndex, _ query: [Float], _ efValue: Int) -> ([UInt32], Double) {
        let t0 = monotonicSeconds()
        let found = (try? index.search(query, k: k, ef: efValue)) ?? []
        return (found.map(\.label), monotonicSeconds() - t0)
    }

    private func generateClustered(into directory: String) throws {
        let clusterCount = clusters ?? max(1, rows / 100)
        printError("generating \(rows) x \(dim) around \(clusterCount) clusters, \(queries) queries")
        let data = SyntheticVectors.clusteredPair(
            rows: rows, queries: queries, dimension: dim, clusters: clusterCount, seed: seed)
        let flat = FlatIndex(dimension: dim, metric: .cosine, capacity: rows)
        try data.base.withUnsafeBufferPointer { buffer in
            for r in 0..<rows { try flat.add(buffer.baseAddress! + r * dim) }
        }
        let queryRows = (0..<queries).map { Array(data.queries[($0 * dim)..<(($0 + 1) * dim)]) }
        let started = monotonicSeconds()
        let truth = try flat.batchSearch(queryRows, k: groundtruthK)
        printError(String(format: "exact ground truth in %.1fs", monotonicSeconds() - started))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let dir = URL(fileURLWithPath: directory)
        try VectorFile.writeFvecs(data.base, dimension: dim, to: dir.appendingPathComponent("base.fvecs").path)
        try VectorFile.writeFvecs(data.queries, dimension: dim, to: dir.appendingPathComponent("query.fvecs").path)
        try VectorFile.writeIvecs(
            truth.map { $0.map { Int32(bitPattern: $0.label) } },
            to: dir.appendingPathComponent("groundtruth.ivecs").path)
        printError("wrote \(directory)/{base,query}.fvecs and groundtruth.ivecs")
    }
}

/// Searches an index from one thread without pause until stopped, timing each: the searches a server answers
/// while an upload inserts.
private final class ConcurrentSearches: @unchecked Sendable {
    // @unchecked: `latencies` is written by the search thread only and read after `done` is signalled.
    private let stopping = Mutex(false)
    private let done = DispatchSemaphore(value: 0)
    private var latencies: [Double] = []

    init(index: HNSWIndex, queries: [[Float]], k: Int, ef: Int) {
        Thread.detachNewThread { [self] in
            var next = 0
            while !stopping.withLock({ $0 }) {
                let started = monotonicSeconds()
                _ = try? index.search(queries[next % queries.count], k: k, ef: ef)
                latencies.append(monotonicSeconds() - started)
                next += 1
            }
            done.signal()
        }
    }

    /// Stops the thread; the number of searches and their latency percentiles, in seconds.
    func stop() -> (count: Int, p50: Double, p99: Double, max: Double) {
        stopping.withLock { $0 = true }
        done.wait()
        let latency = LatencyPercentiles(latencies)
        return (latencies.count, latency.p50, latency.p99, latency.max)
    }
}

/// p50, p99 and max of a sample as `bench ann` reports them: the elements at positions `n / 2` and
/// `min(n - 1, floor(0.99 n))` of the sorted sample; 0 for an empty one.
private struct LatencyPercentiles {
    let p50: Double
    let p99: Double
    let max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        guard let last = sorted.last else {
            (p50, p99, max) = (0, 0, 0)
            return
        }
        p50 = sorted[sorted.count / 2]
        p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        max = last
    }
}

/// Per-query result slots written by index from several threads without overlap.
private final class ResultSlots: @unchecked Sendable {
    // @unchecked: each slot is written by exactly one worker and read after all workers finished.
    var labels: [[UInt32]]
    var latencies: [Double]

    init(count: Int) {
        labels = Array(repeating: [], count: count)
        latencies = Array(repeating: 0, count: count)
    }

    func record(_ index: Int, _ result: ([UInt32], Double)) {
        labels[index] = result.0
        latencies[index] = result.1
    }
}

/// Reading and writing the `.fvecs` / `.ivecs` formats: per row, a little-endian Int32 dimension followed
/// by that many float32 or int32 values.
enum VectorFile {
    static func fvecsShape(_ path: String) throws -> (rows: Int, dimension: Int) {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        guard let head = try handle.read(upToCount: 4), head.count == 4 else {
            throw ValidationError("\(path): empty file")
        }
        let dimension = Int(head.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
        let size = try handle.seekToEnd()
        let rowBytes = 4 + 4 * dimension
        guard dimension > 0, Int(size) % rowBytes == 0 else { throw ValidationError("\(path): not an fvecs file") }
        return (Int(size) / rowBytes, dimension)
    }

    static func forEachFvecsChunk(
        _ path: String, rowsPerChunk: Int, _ body: (UnsafePointer<Float>, Int) throws -> Void
    ) throws {
        let (rows, dimension) = try fvecsShape(path)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let rowBytes = 4 + 4 * dimension
        var packed = [Float](repeating: 0, count: rowsPerChunk * dimension)
        var done = 0
        while done < rows {
            let count = min(rowsPerChunk, rows - done)
            guard let data = try handle.read(upToCount: count * rowBytes), data.count == count * rowBytes else {
                throw ValidationError("\(path): truncated")
            }
            data.withUnsafeBytes { raw in
                packed.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<count {
                        let src = raw.baseAddress! + r * rowBytes + 4
                        memcpy(dst.baseAddress! + r * dimension, src, 4 * dimension)
                    }
                }
            }
            try packed.withUnsafeBufferPointer { try body($0.baseAddress!, count) }
            done += count
        }
    }

    static func readFvecs(_ path: String) throws -> [[Float]] {
        let (_, dimension) = try fvecsShape(path)
        var out: [[Float]] = []
        try forEachFvecsChunk(path, rowsPerChunk: 4096) { pointer, count in
            for r in 0..<count {
                out.append(Array(UnsafeBufferPointer(start: pointer + r * dimension, count: dimension)))
            }
        }
        return out
    }

    static func readIvecs(_ path: String) throws -> [[Int32]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var out: [[Int32]] = []
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                guard offset + 4 <= raw.count else { throw ValidationError("\(path): truncated") }
                let dimension = Int(raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
                guard dimension >= 0, offset + 4 + 4 * dimension <= raw.count else {
                    throw ValidationError("\(path): truncated")
                }
                out.append(
                    (0..<dimension).map { raw.loadUnaligned(fromByteOffset: offset + 4 + 4 * $0, as: Int32.self) })
                offset += 4 + 4 * dimension
            }
        }
        return out
    }

    static func writeFvecs(_ flat: [Float], dimension: Int, to path: String) throws {
        var data = Data()
        data.reserveCapacity(flat.count / dimension * (4 + 4 * dimension))
        var dim32 = Int32(dimension)
        flat.withUnsafeBufferPointer { buffer in
            for r in 0..<(flat.count / dimension) {
                withUnsafeBytes(of: &dim32) { data.append(contentsOf: $0) }
                data.append(UnsafeBufferPointer(start: buffer.baseAddress! + r * dimension, count: dimension))
            }
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func writeIvecs(_ rows: [[Int32]], to path: String) throws {
        var data = Data()
        for row in rows {
            var dim32 = Int32(row.count)
            withUnsafeBytes(of: &dim32) { data.append(contentsOf: $0) }
            row.withUnsafeBufferPointer { data.append($0) }
        }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
