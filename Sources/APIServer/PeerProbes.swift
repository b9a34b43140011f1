import Answering
import Foundation
import Qdrant
import Retrieval
import Synchronization

/// Whether the LLM and Qdrant answer, for `GET /api/admin/health`.
///
/// Each peer is asked at most once per ``ttl`` (a dashboard polling health must not turn into traffic on a
/// rate-limited upstream such as Groq), with a short timeout and no retries, so health stays fast when a peer
/// hangs. The two probes run concurrently.
final class PeerProbes: Sendable {
    /// One probe's outcome.
    struct Outcome: Sendable {
        var reachable: Bool
        /// `code: message` of the failure; messages of both clients are safe to show (no keys, no upstream bodies).
        var error: String?
        var checkedAt: Date
        var milliseconds: Double
        /// Points in the Qdrant collection (nil for the LLM, or when the collection does not exist yet).
        var points: Int?
    }

    /// How long an outcome is reused.
    let ttl: Duration
    /// Timeout of one probe.
    let timeout: Duration
    private let cache = Mutex<[String: (outcome: Outcome, at: ContinuousClock.Instant)]>([:])

    init(ttl: Duration = .seconds(15), timeout: Duration = .seconds(3)) {
        self.ttl = ttl
        self.timeout = timeout
    }

    /// The chat upstream's reachability (`GET {baseURL}/models`), or nil when no LLM is configured.
    func llm(_ client: ChatClient?) async -> Outcome? {
        guard let client else { return nil }
        let timeout = timeout
        return await outcome(key: "llm") {
            do throws(AnsweringError) {
                try await client.probe(timeout: timeout)
                return (nil, nil)
            } catch {
                return ("\(error.code.rawValue): \(error.message)", nil)
            }
        }
    }

    /// The Qdrant collection's reachability (`GET /collections/{name}`), or nil when Qdrant is not configured.
    func qdrant(_ configuration: QdrantConfiguration?) async -> Outcome? {
        guard var configuration else { return nil }
        configuration.retry = .none
        configuration.requestTimeout = timeout
        return await outcome(key: "qdrant") { [configuration] in
            do throws(QdrantError) {
                let info = try await QdrantClient(configuration: configuration).collectionInfo()
                return (nil, info?.pointsCount)
            } catch {
                return ("\(error.code.rawValue): \(error.message)", nil)
            }
        }
    }

    private func outcome(key: String, _ probe: @Sendable () async -> (error: String?, points: Int?)) async -> Outcome {
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[key] }), now - cached.at < ttl { return cached.outcome }
        let result = await probe()
        let outcome = Outcome(
            reachable: result.error == nil, error: result.error, checkedAt: Date(),
            milliseconds: SearchRoutes.milliseconds(since: now), points: result.points)
        cache.withLock { $0[key] = (outcome, ContinuousClock.now) }
        return outcome
    }
}
