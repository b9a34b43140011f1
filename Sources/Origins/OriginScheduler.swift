import ConcurrencySupport
import Crawling
import Foundation
import Knowledge
import Store

/// Runs due origins inside `aigov serve` (issue 17; ARCHITECTURE.md, "Origins"). Every replica runs the loop; the
/// origin's lease in the store lets one replica at a time crawl a given origin, and the schedule lives in the store,
/// so a restart loses nothing: an origin is due when its `next_run` has passed (a new origin at once).
///
/// Each pass first marks failed the running jobs whose heartbeat stopped (their replica died), then claims and
/// crawls due origins one after another until none is due. After a crawl, whatever its outcome, the origin's next
/// run is `frequency_hours` later.
public final class OriginScheduler: Sendable {
    public let knowledgeBase: KnowledgeBase
    public let settings: CrawlSettings
    public let fetcher: GuardedFetcher
    /// This replica's name in leases and jobs.
    public let owner: String
    /// How long a claimed origin stays this replica's without renewal.
    public let lease: Duration
    /// A running job whose heartbeat is older than this was abandoned.
    public let abandonedAfter: Duration
    /// The settings as they are now, read before each crawl (the dashboard's stored settings over the
    /// environment); nil, or a failure, leaves ``settings``. The fetcher's address guard is never taken from here.
    public let settingsSource: (@Sendable () async throws -> CrawlSettings)?

    public init(
        knowledgeBase: KnowledgeBase, settings: CrawlSettings, fetcher: GuardedFetcher? = nil,
        owner: String = OriginScheduler.defaultOwner(), lease: Duration = .seconds(120),
        abandonedAfter: Duration = .seconds(120), settingsSource: (@Sendable () async throws -> CrawlSettings)? = nil
    ) {
        self.settingsSource = settingsSource
        self.knowledgeBase = knowledgeBase
        self.settings = settings
        self.fetcher = fetcher ?? settings.fetcher()
        self.owner = owner
        self.lease = lease
        self.abandonedAfter = abandonedAfter
    }

    /// `host:pid:random`, unique per process.
    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):"
            + UUID().uuidString.prefix(8).lowercased()
    }

    private var store: any MetadataStore { knowledgeBase.store }

    /// One pass: abandoned jobs failed, then every due origin crawled. Returns the jobs it ran.
    @discardableResult
    public func runDue() async throws -> [CrawlJob] {
        let now = Date()
        _ = try await store.failAbandonedCrawlJobs(
            heartbeatBefore: now.addingTimeInterval(-abandonedAfter.timeInterval), now: now)
        var jobs: [CrawlJob] = []
        while !Task.isCancelled, let origin = try await store.claimDueOrigin(owner: owner, now: Date(), lease: lease) {
            let job = try await store.createCrawlJob(originID: origin.id, trigger: .scheduler, now: Date())
            jobs.append(try await crawlLeased(origin, jobID: job.id))
        }
        return jobs
    }

    /// Crawls origin `id` now, for the API or the CLI: takes its lease (nil when another replica is crawling it),
    /// queues a job and returns it with the crawl that `body` is handed to run (awaited by the CLI, detached by the
    /// API).
    public func crawlNow(originID id: Int64, trigger: CrawlTrigger) async throws -> (
        CrawlJob, @Sendable () async -> Void
    )? {
        guard let origin = try await store.claimOrigin(id: id, owner: owner, now: Date(), lease: lease) else {
            return nil
        }
        let job = try await store.createCrawlJob(originID: origin.id, trigger: trigger, now: Date())
        return (job, { [self] in _ = try? await self.crawlLeased(origin, jobID: job.id) })
    }

    /// Runs the loop every `interval` until the calling task is cancelled; failures go to `onError`.
    public func run(every interval: Duration = .seconds(30), onError: (@Sendable (String) -> Void)? = nil) async {
        while !Task.isCancelled {
            do {
                try await runDue()
            } catch {
                if Task.isCancelled { return }
                onError?(KnowledgeBase.describe(error))
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// Crawls a claimed origin, renewing its lease meanwhile, then records the run and releases it.
    private func crawlLeased(_ origin: Origin, jobID: String) async throws -> CrawlJob {
        let renewal = Task { [store, owner, lease] in
            while !Task.isCancelled {
                try? await Task.sleep(for: lease / 3)
                if Task.isCancelled { return }
                _ = try? await store.renewOriginLease(id: origin.id, owner: owner, now: Date(), lease: lease)
            }
        }
        defer { renewal.cancel() }
        var settings = self.settings
        if let settingsSource, let current = try? await settingsSource() { settings = current }
        // The guard (CRAWL_ALLOW_HOSTS) stays the one this scheduler was built with.
        var fetcher = self.fetcher
        fetcher.userAgent = settings.userAgent
        fetcher.limits.timeout = settings.timeout
        let run = CrawlRun(knowledgeBase: knowledgeBase, settings: settings, fetcher: fetcher, owner: owner)
        let outcome: Result<CrawlJob, any Error>
        do {
            outcome = .success(try await run.run(jobID: jobID, origin: origin))
        } catch {
            outcome = .failure(error)
        }
        let status: String
        switch outcome {
        case .success(let job): status = job.status == .failed ? "failed: \(job.error ?? "")" : job.status.rawValue
        case .failure(let error): status = "failed: \(KnowledgeBase.describe(error))"
        }
        // Whatever the outcome, the origin is next due `frequency_hours` from now.
        let now = Date()
        do {
            _ = try await store.finishOriginRun(
                id: origin.id, owner: owner, status: String(status.prefix(200)), finishedAt: now,
                nextRun: now.addingTimeInterval(Double(origin.frequencyHours) * 3600))
        } catch {
            // A crawl that failed reports its own error, not the failure to record it.
            if case .success = outcome { throw error }
        }
        return try outcome.get()
    }
}
