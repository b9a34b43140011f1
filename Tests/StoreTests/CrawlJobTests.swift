import Foundation
import Store
import Testing

/// Crawl jobs and page records (issue 17): the lifecycle, the counts and errors, cancellation, and a job left
/// by a replica that died.
@Suite struct CrawlJobTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: Engine.all) func aJobRunsWithItsCountsAndFailedPages(engine: Engine) async throws {
        try await withStore(engine) { store in
            let origin = try await store.createOrigin(OriginDraft(url: "https://regulator.example/"))
            let queued = try await store.createCrawlJob(originID: origin.id, trigger: .api, now: Self.start)
            #expect(queued.status == .queued && queued.owner == nil && queued.counts == CrawlCounts())
            let running = try await store.startCrawlJob(id: queued.id, owner: "replica-a", now: Self.start + 1)
            #expect(running.status == .running && running.owner == "replica-a" && running.startedAt == Self.start + 1)
            #expect(
                await storeErrorCode { _ = try await store.startCrawlJob(id: queued.id, owner: "b", now: Self.start) }
                    == .conflict)

            var counts = CrawlCounts()
            counts.pagesAttempted = 3
            counts.pagesSucceeded = 2
            counts.pagesFailed = 1
            counts.documentsAdded = 2
            counts.chunksEmbedded = 17
            counts.pagesIrrelevant = 4
            let failed = CrawlPageError(
                code: "TIMEOUT", url: "https://regulator.example/slow", message: "no answer in 30 s")
            #expect(
                try await store.recordCrawlProgress(
                    id: queued.id, owner: "replica-a", counts: counts, errors: [failed], now: Self.start + 5))
            #expect(
                !(try await store.recordCrawlProgress(
                    id: queued.id, owner: "replica-b", counts: counts, errors: [], now: Self.start + 5)))
            let midway = try #require(try await store.crawlJob(id: queued.id))
            #expect(midway.counts == counts && midway.errors == [failed] && midway.heartbeatAt == Self.start + 5)

            counts.pagesNotModified = 4
            #expect(
                try await store.finishCrawlJob(
                    id: queued.id, owner: "replica-a", status: .completed, counts: counts, errors: [failed], error: nil,
                    now: Self.start + 9))
            let done = try #require(try await store.crawlJob(id: queued.id))
            #expect(done.status == .completed && done.finishedAt == Self.start + 9 && done.counts.pagesNotModified == 4)
            #expect(
                await storeErrorCode { _ = try await store.cancelCrawlJob(id: queued.id, now: Self.start) } == .conflict
            )

            // Newest first, per origin or all; the origin's deletion keeps the job's record.
            let later = try await store.createCrawlJob(originID: origin.id, trigger: .scheduler, now: Self.start + 60)
            let other = try await store.createCrawlJob(originID: nil, trigger: .cli, now: Self.start + 30)
            #expect(
                try await store.crawlJobs(originID: origin.id, limit: 10, offset: 0).map(\.id) == [later.id, queued.id])
            #expect(try await store.crawlJobs(originID: nil, limit: 2, offset: 1).map(\.id) == [other.id, queued.id])
            try await store.deleteOrigin(id: origin.id)
            #expect(try await store.crawlJob(id: queued.id)?.originID == nil)
        }
    }

    @Test(arguments: Engine.all) func cancellingAndAbandonedJobs(engine: Engine) async throws {
        try await withStore(engine) { store in
            let queued = try await store.createCrawlJob(originID: nil, trigger: .api, now: Self.start)
            let cancelled = try await store.cancelCrawlJob(id: queued.id, now: Self.start + 1)
            #expect(cancelled.status == .cancelled && cancelled.finishedAt == Self.start + 1)
            #expect(
                await storeErrorCode { _ = try await store.cancelCrawlJob(id: "missing", now: Self.start) } == .notFound
            )

            // A running job cancelled from outside: its runner learns it at its next record and writes nothing.
            let running = try await store.createCrawlJob(originID: nil, trigger: .api, now: Self.start)
            _ = try await store.startCrawlJob(id: running.id, owner: "replica-a", now: Self.start)
            try await store.cancelCrawlJob(id: running.id, now: Self.start + 2)
            #expect(
                !(try await store.recordCrawlProgress(
                    id: running.id, owner: "replica-a", counts: CrawlCounts(), errors: [], now: Self.start + 3)))
            #expect(try await store.crawlJob(id: running.id)?.status == .cancelled)

            // A replica killed mid-crawl: its heartbeat stops; another marks the job failed, and the dead one's
            // late finish changes nothing.
            let orphan = try await store.createCrawlJob(originID: nil, trigger: .scheduler, now: Self.start)
            _ = try await store.startCrawlJob(id: orphan.id, owner: "replica-dead", now: Self.start)
            let alive = try await store.createCrawlJob(originID: nil, trigger: .scheduler, now: Self.start)
            _ = try await store.startCrawlJob(id: alive.id, owner: "replica-b", now: Self.start)
            _ = try await store.recordCrawlProgress(
                id: alive.id, owner: "replica-b", counts: CrawlCounts(), errors: [], now: Self.start + 100)
            let failed = try await store.failAbandonedCrawlJobs(heartbeatBefore: Self.start + 60, now: Self.start + 120)
            #expect(failed == [orphan.id])
            let marked = try #require(try await store.crawlJob(id: orphan.id))
            #expect(marked.status == .failed && marked.error?.hasPrefix("abandoned") == true)
            #expect(
                !(try await store.finishCrawlJob(
                    id: orphan.id, owner: "replica-dead", status: .completed, counts: CrawlCounts(), errors: [],
                    error: nil, now: Self.start + 130)))
            #expect(try await store.crawlJob(id: alive.id)?.status == .running)
        }
    }

    @Test(arguments: Engine.all) func pagesKeepTheirValidatorsBetweenRuns(engine: Engine) async throws {
        try await withStore(engine) { store in
            let url = "https://regulator.example/guidance"
            #expect(try await store.crawlPage(url: url) == nil)
            var page = CrawlPage(
                url: url, originID: nil, documentID: "web-abc", etag: "\"v1\"",
                lastModified: "Mon, 02 Dec 2024 10:00:00 GMT", contentHash: "h1", lastStatus: 200,
                fetchedAt: Self.start,
                links: ["https://regulator.example/a", "https://regulator.example/b?x=«1»"]
            )
            try await store.saveCrawlPage(page)
            #expect(try await store.crawlPage(url: url) == page)
            page.links = []
            page.lastStatus = 404
            page.missingRuns = 1
            page.etag = nil
            try await store.saveCrawlPage(page)
            #expect(try await store.crawlPage(url: url) == page)
        }
    }
}
