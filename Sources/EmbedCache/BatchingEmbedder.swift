import Dispatch
import Foundation
import Synchronization

/// Embeds the texts of concurrent callers together: questions that arrive while the model is busy, or within a
/// short window of one another, go through the model as one packed batch (ARCHITECTURE.md, "Batched question
/// embedding").
///
/// Why: a search embeds one short question. One question alone leaves the matrix products too thin for BLAS to
/// run near its peak (a 15-token MiniLM pass is about 0.35 GFLOP, a few milliseconds at most), so a server
/// embedding each question on its own spends most of its cores on overhead. Thirty-two questions in one pass cost
/// little more than a few alone.
///
/// How, in one place:
/// - A caller's texts join the pending list. At most ``Settings/lanes`` batches run at once (one per core; the
///   base embedder gives each batch one thread).
/// - When no batch is running, the texts go at once: an idle server never delays a question.
/// - When some lanes are busy and one is free, the first waiter arms a timer of ``Settings/window``; when it fires,
///   or as soon as ``Settings/maxTexts`` texts wait, everything pending (up to that many texts) goes as one batch.
/// - When every lane is busy, texts wait; a lane that finishes takes the pending texts at once (they have waited
///   for a whole batch already), so under load batches fill by themselves and no timer is needed.
/// - A caller's texts are never split across batches, so a failure of the base embedder reaches exactly the
///   callers of that batch.
public final class BatchingEmbedder: Embedder {
    /// How texts are gathered.
    public struct Settings: Sendable, Equatable {
        /// Longest a text waits for company while a lane is free.
        public var window: Duration
        /// Most texts in one batch (a caller with more goes alone, in one batch of its own).
        public var maxTexts: Int
        /// Batches running at once.
        public var lanes: Int

        /// `window` of 2 ms, 32 texts, one lane per core.
        public init(window: Duration = .milliseconds(2), maxTexts: Int = 32, lanes: Int = activeCores()) {
            self.window = max(.zero, window)
            self.maxTexts = max(1, maxTexts)
            self.lanes = max(1, lanes)
        }

        /// The machine's active cores.
        public static func activeCores() -> Int { ProcessInfo.processInfo.activeProcessorCount }
    }

    /// What the batches have done, for the metrics and the benchmark.
    public struct Statistics: Sendable, Equatable {
        /// Batches sent to the base embedder.
        public var batches = 0
        /// Texts in them.
        public var texts = 0
        /// The largest batch, in texts.
        public var largest = 0

        public init(batches: Int = 0, texts: Int = 0, largest: Int = 0) {
            self.batches = batches
            self.texts = texts
            self.largest = largest
        }
    }

    private struct Request {
        var texts: [String]
        var continuation: CheckedContinuation<[[Float]], any Error>
    }

    private struct State {
        var pending: [Request] = []
        var pendingTexts = 0
        var running = 0
        var timerArmed = false
        var statistics = Statistics()

        /// Takes the first pending requests up to `limit` texts (always at least one request) and counts a
        /// running batch.
        mutating func takeBatch(limit: Int) -> [Request] {
            var count = 0
            var taken = 0
            while taken < pending.count, taken == 0 || count + pending[taken].texts.count <= limit {
                count += pending[taken].texts.count
                taken += 1
            }
            let batch = Array(pending.prefix(taken))
            pending.removeFirst(taken)
            pendingTexts -= count
            running += 1
            statistics.batches += 1
            statistics.texts += count
            statistics.largest = max(statistics.largest, count)
            return batch
        }
    }

    private enum Next {
        case nothing
        case armTimer
        case run([Request])
    }

    /// The model every batch goes to.
    public let base: any Embedder
    public let settings: Settings
    private let state = Mutex(State())

    /// Gathers the texts of concurrent calls into batches for `base`.
    public init(base: any Embedder, settings: Settings = Settings()) {
        self.base = base
        self.settings = settings
    }

    public var dimension: Int { base.dimension }
    public var fingerprint: String { base.fingerprint }

    /// Counts so far.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// The name of the threads that run a synchronous model's passes (in `top -H`, `perf`).
    public static let threadName = "aigov-embedding"

    private static let laneMark = "aigov.BatchingEmbedder.lane"

    /// Whether the calling thread is one of the batcher's own (a synchronous model's pass runs on one).
    public static var isLaneThread: Bool { Thread.current.threadDictionary[laneMark] as? Bool == true }

    /// Texts waiting for a batch.
    public var waiting: Int { state.withLock { $0.pendingTexts } }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            let next = state.withLock { state -> Next in
                state.pending.append(Request(texts: texts, continuation: continuation))
                state.pendingTexts += texts.count
                guard state.running < settings.lanes else { return .nothing }
                if state.running == 0 || state.pendingTexts >= settings.maxTexts || settings.window == .zero {
                    return .run(state.takeBatch(limit: settings.maxTexts))
                }
                if state.timerArmed { return .nothing }
                state.timerArmed = true
                return .armTimer
            }
            perform(next)
        }
    }

    private func perform(_ next: Next) {
        switch next {
        case .nothing:
            return
        case .armTimer:
            let (seconds, attoseconds) = settings.window.components
            let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { self.windowEnded() }
        case .run(let batch):
            if let model = base as? any SynchronousEmbedder {
                // A thread of its own per busy lane, ended when nothing waits (see SynchronousEmbedder).
                Thread {
                    // The name is for `top -H` and `perf` (best effort: set from inside, 15 characters at most);
                    // the mark is what ``isLaneThread`` reads.
                    Thread.current.name = BatchingEmbedder.threadName
                    Thread.current.threadDictionary[BatchingEmbedder.laneMark] = true
                    self.runBlocking(batch, on: model)
                }.start()
            } else {
                Task { await self.run(batch) }
            }
        }
    }

    private func windowEnded() {
        let next = state.withLock { state -> Next in
            state.timerArmed = false
            guard state.running < settings.lanes, !state.pending.isEmpty else { return .nothing }
            return .run(state.takeBatch(limit: settings.maxTexts))
        }
        perform(next)
    }

    /// Embeds `batch`, answers its callers, and goes on with whatever waited meanwhile.
    private func run(_ batch: [Request]) async {
        var batch = batch
        while true {
            let texts = batch.flatMap(\.texts)
            do {
                answer(batch, with: .success(try await base.embed(texts)))
            } catch {
                answer(batch, with: .failure(error))
            }
            guard let next = finished() else { return }
            batch = next
        }
    }

    /// `run` for a model that computes on the calling thread, this lane's own.
    private func runBlocking(_ batch: [Request], on model: any SynchronousEmbedder) {
        var batch = batch
        while true {
            answer(batch, with: .success(model.embedBlocking(batch.flatMap(\.texts))))
            guard let next = finished() else { return }
            batch = next
        }
    }

    /// Gives each caller of `batch` its slice of `result`.
    private func answer(_ batch: [Request], with result: Result<[[Float]], any Error>) {
        let total = batch.reduce(0) { $0 + $1.texts.count }
        var result = result
        if case .success(let vectors) = result, vectors.count != total {
            result = .failure(
                EmbedError(.providerMismatch, "the embedder returned \(vectors.count) vectors for \(total) texts"))
        }
        switch result {
        case .success(let vectors):
            var offset = 0
            for request in batch {
                let count = request.texts.count
                request.continuation.resume(returning: Array(vectors[offset..<offset + count]))
                offset += count
            }
        case .failure(let error):
            for request in batch { request.continuation.resume(throwing: error) }
        }
    }

    /// Ends a lane's batch: the lane goes on with the first waiting batch (nil: it stops), and more than one batch
    /// waiting starts idle lanes too.
    private func finished() -> [Request]? {
        let next = state.withLock { state -> [[Request]] in
            state.running -= 1
            var batches: [[Request]] = []
            while !state.pending.isEmpty, batches.isEmpty || state.running < settings.lanes {
                batches.append(state.takeBatch(limit: settings.maxTexts))
            }
            return batches
        }
        for other in next.dropFirst() { perform(.run(other)) }
        return next.first
    }
}
