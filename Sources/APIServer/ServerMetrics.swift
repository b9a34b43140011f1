import Foundation
import Prometheus

/// The server's Prometheus metrics, in a registry of its own (not the process-wide `MetricsSystem`, which can
/// be bootstrapped once per process and would make every test server share one set of counters).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    private static let latencyBuckets: [Double] = [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
    ]

    /// One request finished: counts it and records its latency under its route template (never the raw
    /// path, whose ids would make the label set unbounded).
    func recordRequest(method: String, route: String, status: Int, seconds: Double) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "http", metricName: "requests", unitName: "total",
                helpText: "HTTP requests by method, route template and status."),
            labels: labels
        ).increment()
        registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "http", metricName: "request_duration", unitName: "seconds",
                helpText: "HTTP request latency by method, route template and status."),
            labels: labels, buckets: Self.latencyBuckets
        ).record(seconds)
    }

    /// Time spent in the hybrid/dense/lexical search (embedding the question included).
    func recordRetrieval(mode: String, seconds: Double) {
        registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "aigov", metricName: "retrieval_duration", unitName: "seconds",
                helpText: "Retrieval latency (question embedding and index search) by search mode."),
            labels: [("mode", mode)], buckets: Self.latencyBuckets
        ).record(seconds)
    }

    /// Time spent answering, by who wrote the answer (`generated` or `extractive`).
    func recordGeneration(mode: String, seconds: Double) {
        registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "aigov", metricName: "generation_duration", unitName: "seconds",
                helpText: "Answer generation latency by answer mode."),
            labels: [("mode", mode)], buckets: Self.latencyBuckets
        ).record(seconds)
    }

    /// An answer that fell back to extractive or broke off, by reason code.
    func recordFallback(reason: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "aigov", metricName: "answer_fallbacks", unitName: "total",
                helpText: "Answers not (wholly) written by the model, by reason."),
            labels: [("reason", reason)]
        ).increment()
    }

    /// Values read at scrape time from the index, the store and the embedding cache.
    struct Snapshot {
        var indexVectors: Int
        var documents: Int?
        var chunks: Int?
        var cacheEntries: Int?
        var cacheHits: Int?
        var cacheMisses: Int?
        /// Batches of question embeddings and the questions in them (nil without query batching).
        var queryBatches: Int?
        var queryBatchTexts: Int?
        /// 1 when the metadata store answered the counts, else 0.
        var storeUp = 1
        /// Qdrant outbox entries not yet applied (nil without a store answer).
        var outboxPending: Int?
        /// 1 or 0 by the last Qdrant probe; nil when Qdrant is not configured.
        var qdrantUp: Int?
        /// When the mirror last applied the outbox (seconds since 1970; 0 before its first success); nil without
        /// a mirror.
        var mirrorLastSuccess: Int?
    }

    /// Sets the gauges from `snapshot` and renders the registry in the text exposition format.
    func render(_ snapshot: Snapshot) -> String {
        func gauge(_ name: String, _ help: String, _ value: Int?) {
            guard let value else { return }
            registry.makeGauge(
                descriptor: MetricNameDescriptor(namespace: "aigov", metricName: name, unitName: "", helpText: help)
            ).set(Double(value))
        }
        gauge("index_vectors", "Vectors in the local index.", snapshot.indexVectors)
        gauge("documents", "Documents in the metadata store.", snapshot.documents)
        gauge("chunks", "Chunks in the metadata store.", snapshot.chunks)
        gauge("embedding_cache_entries", "Vectors in the persistent embedding cache.", snapshot.cacheEntries)
        gauge("embedding_cache_hits", "Embedding cache hits since the server started.", snapshot.cacheHits)
        gauge("embedding_cache_misses", "Embedding cache misses since the server started.", snapshot.cacheMisses)
        gauge(
            "query_embedding_batches", "Passes of the model over batched questions since start.", snapshot.queryBatches)
        gauge(
            "query_embedding_batch_texts", "Questions embedded in those passes (divide for the mean batch).",
            snapshot.queryBatchTexts)
        gauge("store_up", "1 when the metadata store answered this scrape, else 0.", snapshot.storeUp)
        gauge("outbox_pending", "Qdrant outbox entries waiting to be applied.", snapshot.outboxPending)
        gauge("qdrant_up", "1 when the last Qdrant probe (at most 15 s old) succeeded, else 0.", snapshot.qdrantUp)
        gauge(
            "qdrant_mirror_last_success_timestamp_seconds",
            "When the Qdrant mirror last applied the outbox (0: not yet).",
            snapshot.mirrorLastSuccess)
        return registry.emitToString()
    }
}
