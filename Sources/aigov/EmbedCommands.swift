import ArgumentParser
import EmbedCache
import Foundation

struct Tokenize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenize JSONL {\"text\"} lines from stdin into {\"text\", \"ids\"} lines on stdout.")

    @Option(help: "Model directory (default: $EMBEDDING_MODEL_DIR, else the one scripts/setup installs).")
    var modelDir: String?

    func run() async throws {
        let tokenizer: WordPieceTokenizer
        do {
            tokenizer = try WordPieceTokenizer(modelDirectory: ModelLocator.modelDirectory(explicit: modelDir))
        } catch let error as EmbedError {
            throw CLIError(error.description)
        }
        var reader = JSONLinesReader()
        while true {
            let objects = try reader.next(limit: 1024)
            if objects.isEmpty { break }
            var out = ""
            for object in objects {
                let text = object["text"] as! String
                let ids = tokenizer.encode(text).map(Int.init)
                let data = try JSONSerialization.data(
                    withJSONObject: ["text": text, "ids": ids], options: [.sortedKeys, .withoutEscapingSlashes])
                out += String(decoding: data, as: UTF8.self) + "\n"
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }
}

struct Embed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed JSONL {\"text\"} lines from stdin; other keys pass through, \"embedding\" is added.")

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Flag(help: "Do not read or write the persistent embedding cache.")
    var noCache = false

    @Flag(help: "Print texts/s and tokens/s to stderr at the end.")
    var stats = false

    func run() async throws {
        let embedder = try model.load()
        let cached: (any Embedder)? = try noCache ? nil : data.cachedEmbedder(for: embedder)
        var reader = JSONLinesReader()
        var texts = 0
        var tokens = 0
        let started = monotonicSeconds()
        while true {
            // Bounded chunks keep memory flat however long the input is.
            let objects = try reader.next(limit: 256)
            if objects.isEmpty { break }
            let batch = objects.map { $0["text"] as! String }
            if stats { tokens += embedder.tokenize(batch).reduce(0) { $0 + $1.count } }
            let vectors = try await (cached ?? embedder).embed(batch)
            var out = ""
            for (object, vector) in zip(objects, vectors) {
                out += try jsonLine(object, appending: "embedding", floats: vector) + "\n"
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            texts += objects.count
        }
        if stats {
            let seconds = monotonicSeconds() - started
            printError(
                String(
                    format: "%d texts, %d tokens in %.2fs: %.1f texts/s, %.0f tokens/s, peak RSS %d bytes",
                    texts, tokens, seconds, Double(texts) / seconds, Double(tokens) / seconds,
                    peakRSSBytes()))
        }
    }
}

struct Warmup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed into the persistent cache whatever is missing.",
        discussion: """
            Without --texts, every stored chunk is embedded through the cache (after the cache was deleted or \
            the model changed), so later re-ingests and index rebuilds do no model work.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Option(help: "JSONL file of {\"text\"} lines to warm the cache with instead of the stored chunks.")
    var texts: String?

    @Flag(help: "Print a JSON summary on stdout.")
    var json = false

    func run() async throws {
        let started = monotonicSeconds()
        var count = 0
        var embedded = 0
        var entries = 0
        if let texts {
            let all = try readTexts(texts)
            let cached = try data.cachedEmbedder(for: try model.load())
            let before = cached.cache.statistics
            let progress = ProgressBar("warmup", total: all.count)
            // CachedEmbedder looks each slice up, embeds only its distinct misses in one call and stores them.
            let slice = max(model.batchSize * model.threads * 4, 64)
            for start in stride(from: 0, to: all.count, by: slice) {
                let part = Array(all[start..<min(start + slice, all.count)])
                _ = try await cached.embed(part)
                progress.advance(by: part.count)
            }
            progress.finish()
            let after = cached.cache.statistics
            (count, embedded, entries) = (all.count, after.misses - before.misses, after.entries)
        } else {
            let base = try await openKnowledgeBase(data, model)
            let bar = ProgressBarBox("warmup")
            (count, embedded) = try await base.warmCache(progress: bar.update)
            bar.finish()
            entries = (base.embedder as? CachedEmbedder)?.cache.statistics.entries ?? 0
        }
        if json {
            try printJSON([
                "texts": count, "already_cached": count - embedded, "embedded": embedded,
                "seconds": monotonicSeconds() - started, "cache_entries": entries,
            ])
        }
    }
}

struct BenchEmbed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embedding throughput and memory of the built-in model (no cache).")

    @OptionGroup var model: ModelOptions

    @Option(help: "JSONL file of {\"text\"} lines (see scripts/make_bench_texts).")
    var texts: String

    @Flag(help: "Embed the texts one at a time and report per-text latency (the cost of one query).")
    var oneByOne = false

    @Option(help: "Timed passes over the texts; the fastest is reported.")
    var repeats: Int = 1

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    func run() async throws {
        let all = try readTexts(texts)
        guard !all.isEmpty else { throw CLIError("\(texts) holds no texts") }
        let loadStart = monotonicSeconds()
        let embedder = try model.load()
        let loadSeconds = monotonicSeconds() - loadStart
        let tokens = embedder.tokenize(all).reduce(0) { $0 + $1.count }
        _ = embedder.embedBlocking(Array(all.prefix(min(all.count, model.batchSize))))  // warm-up

        var best = Double.infinity
        var latencies: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = monotonicSeconds()
            if oneByOne {
                latencies = []
                for text in all {
                    let t = monotonicSeconds()
                    _ = embedder.embedBlocking([text])
                    latencies.append(monotonicSeconds() - t)
                }
            } else {
                _ = embedder.embedBlocking(all)
            }
            best = min(best, monotonicSeconds() - start)
        }
        var result: [String: Any] = [
            "texts": all.count, "tokens": tokens, "seconds": best,
            "texts_per_second": Double(all.count) / best, "tokens_per_second": Double(tokens) / best,
            "peak_rss_bytes": peakRSSBytes(), "batch_size": oneByOne ? 1 : model.batchSize,
            "threads": model.threads, "load_seconds": loadSeconds,
        ]
        if oneByOne {
            latencies.sort()
            result["latency_p50_ms"] = latencies[latencies.count / 2] * 1000
            result["latency_p99_ms"] = latencies[min(latencies.count - 1, latencies.count * 99 / 100)] * 1000
        }
        if json {
            try printJSON(result)
        } else {
            print(
                String(
                    format: "%d texts, %d tokens in %.2fs: %.1f texts/s, %.0f tokens/s, peak RSS %.0f MB",
                    all.count, tokens, best, Double(all.count) / best, Double(tokens) / best,
                    Double(peakRSSBytes()) / 1e6))
        }
    }
}
