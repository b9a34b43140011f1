import Foundation
import Hummingbird
import Origins
import Store

/// `POST /api/admin/origins/{id}/crawl` (a crawl now: 202 with the job id, the crawl runs in the background),
/// `GET /api/admin/dashboard/jobs` and `GET /api/admin/dashboard/jobs/{job_id}` (issue 17), with the old platform's
/// field names: the counts, `error_breakdown` (failed pages per class) and `top_errors`.
struct CrawlJobRoutes: Sendable {
    let state: ServerState

    struct Accepted: Encodable {
        var jobID: String
        var originID: Int64
        var status = "queued"

        enum CodingKeys: String, CodingKey {
            case status
            case jobID = "job_id"
            case originID = "origin_id"
        }
    }

    /// A job as the dashboard shows it.
    struct JobBody: Encodable {
        var job: CrawlJob

        struct TopError: Encodable {
            var code: String
            var message: String
            var count: Int
        }

        enum CodingKeys: String, CodingKey {
            case jobID = "job_id"
            case originID = "origin_id"
            case trigger, status, error, errors
            case createdAt = "created_at"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case heartbeatAt = "heartbeat_at"
            case pagesAttempted = "pages_attempted"
            case pagesSucceeded = "pages_succeeded"
            case pagesNotModified = "pages_not_modified"
            case pagesFailed = "pages_failed"
            case pagesRobotsDisallowed = "pages_robots_disallowed"
            case documentsAdded = "documents_added"
            case documentsUpdated = "documents_updated"
            case documentsUnchanged = "documents_unchanged"
            case documentsRemoved = "documents_removed"
            case chunksEmbedded = "chunks_embedded"
            case pagesIrrelevant = "pages_irrelevant"
            case relevanceRatio = "relevance_ratio"
            case errorBreakdown = "error_breakdown"
            case topErrors = "top_errors"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            let c = job.counts
            try container.encode(job.id, forKey: .jobID)
            try container.encode(job.originID, forKey: .originID)
            try container.encode(job.trigger.rawValue, forKey: .trigger)
            try container.encode(job.status.rawValue, forKey: .status)
            try container.encode(job.error, forKey: .error)
            try container.encode(job.createdAt, forKey: .createdAt)
            try container.encode(job.startedAt, forKey: .startedAt)
            try container.encode(job.finishedAt, forKey: .finishedAt)
            try container.encode(job.heartbeatAt, forKey: .heartbeatAt)
            try container.encode(c.pagesAttempted, forKey: .pagesAttempted)
            try container.encode(c.pagesSucceeded, forKey: .pagesSucceeded)
            try container.encode(c.pagesNotModified, forKey: .pagesNotModified)
            try container.encode(c.pagesFailed, forKey: .pagesFailed)
            try container.encode(c.pagesRobotsDisallowed, forKey: .pagesRobotsDisallowed)
            try container.encode(c.documentsAdded, forKey: .documentsAdded)
            try container.encode(c.documentsUpdated, forKey: .documentsUpdated)
            try container.encode(c.documentsUnchanged, forKey: .documentsUnchanged)
            try container.encode(c.documentsRemoved, forKey: .documentsRemoved)
            try container.encode(c.chunksEmbedded, forKey: .chunksEmbedded)
            try container.encode(c.pagesIrrelevant, forKey: .pagesIrrelevant)
            try container.encode(c.relevanceRatio, forKey: .relevanceRatio)
            try container.encode(job.errors, forKey: .errors)
            var breakdown: [String: Int] = [:]
            for error in job.errors { breakdown[error.code, default: 0] += 1 }
            try container.encode(breakdown, forKey: .errorBreakdown)
            var grouped: [String: TopError] = [:]
            for error in job.errors {
                grouped[
                    error.code + "\u{1F}" + error.message,
                    default: TopError(
                        code: error.code, message: error.message, count: 0)
                ].count += 1
            }
            let top = grouped.values.sorted {
                ($0.count, $1.code, $1.message) > ($1.count, $0.code, $0.message)
            }.prefix(5)
            try container.encode(Array(top), forKey: .topErrors)
        }
    }

    struct JobList: Encodable {
        var jobs: [JobBody]
        var limit: Int
        var offset: Int
    }

    func crawl(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try OriginRoutes.originID(context)
        let started: (CrawlJob, @Sendable () async -> Void)?
        do {
            started = try await state.scheduler.crawlNow(originID: id, trigger: .api)
        } catch let error as StoreError where error.code == .notFound {
            throw APIError.notFound("no origin with this id")
        }
        guard let (job, crawl) = started else {
            throw APIError(.conflict, .conflict, "a crawl of this origin is running")
        }
        // The crawl outlives the request; its job row is what the caller follows.
        Task.detached { await crawl() }
        context.logger.info(
            "crawl started", metadata: ["origin_id": .stringConvertible(id), "job_id": .string(job.id)])
        return JSONResponse.make(Accepted(jobID: job.id, originID: id), status: .accepted)
    }

    func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let limit = try AdminRoutes.integer(
            request, "limit", default: AdminRoutes.defaultPageSize, range: AdminRoutes.pageSizes)
        let offset = try AdminRoutes.integer(request, "offset", default: 0, range: AdminRoutes.offsets)
        var origin: Int64?
        if let text = request.uri.queryParameters.get("origin_id") {
            guard let value = Int64(text), value > 0 else {
                throw APIError.invalid("origin_id", "must be an origin id (a positive whole number)")
            }
            origin = value
        }
        let jobs = try await state.store.crawlJobs(originID: origin, limit: limit, offset: offset)
        return JSONResponse.make(JobList(jobs: jobs.map(JobBody.init), limit: limit, offset: offset))
    }

    /// `GET /api/admin/dashboard/overview`: the platform at a glance.
    struct Overview: Encodable {
        struct Origins: Encodable {
            var total: Int
            var enabled: Int
            var due: Int
        }
        var origins: Origins
        var documents: Int
        var chunks: Int
        /// Jobs created in the last 24 hours, per status (every status present, 0 when none).
        var jobsLast24h: [String: Int]
        var pagesAttemptedLast24h: Int
        /// Pages kept over pages fetched whole by the last day's jobs (the topic filter sets pages aside).
        var relevanceRatioLast24h: Double?
        var lastJob: JobBody?

        enum CodingKeys: String, CodingKey {
            case origins, documents, chunks
            case jobsLast24h = "jobs_last_24h"
            case pagesAttemptedLast24h = "pages_attempted_last_24h"
            case relevanceRatioLast24h = "relevance_ratio_last_24h"
            case lastJob = "last_job"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(origins, forKey: .origins)
            try container.encode(documents, forKey: .documents)
            try container.encode(chunks, forKey: .chunks)
            try container.encode(jobsLast24h, forKey: .jobsLast24h)
            try container.encode(pagesAttemptedLast24h, forKey: .pagesAttemptedLast24h)
            try container.encode(relevanceRatioLast24h, forKey: .relevanceRatioLast24h)
            try container.encode(lastJob, forKey: .lastJob)
        }
    }

    /// One UTC day of `GET /api/admin/dashboard/overview/timeseries`.
    struct Day: Encodable {
        var date: String
        var jobs = 0
        var completed = 0
        var failed = 0
        var pagesAttempted = 0
        var pagesSucceeded = 0
        var documentsAdded = 0
        var documentsUpdated = 0
        var chunksEmbedded = 0

        enum CodingKeys: String, CodingKey {
            case date, jobs, completed, failed
            case pagesAttempted = "pages_attempted"
            case pagesSucceeded = "pages_succeeded"
            case documentsAdded = "documents_added"
            case documentsUpdated = "documents_updated"
            case chunksEmbedded = "chunks_embedded"
        }
    }

    struct Series: Encodable {
        var days: [Day]
    }

    /// The jobs created at or after `since`, newest first, read page by page (the window bounds the reading).
    func jobs(since: Date) async throws -> [CrawlJob] {
        var found: [CrawlJob] = []
        var offset = 0
        while true {
            let page = try await state.store.crawlJobs(originID: nil, limit: 200, offset: offset)
            found += page.filter { $0.createdAt >= since }
            if page.count < 200 || (page.last.map { $0.createdAt < since } ?? true) { return found }
            offset += page.count
        }
    }

    func overview(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let now = Date()
        let origins = try await state.store.origins()
        let counts = try await state.store.counts()
        let recent = try await jobs(since: now.addingTimeInterval(-86_400))
        var byStatus = Dictionary(uniqueKeysWithValues: CrawlJobStatus.allCases.map { ($0.rawValue, 0) })
        for job in recent { byStatus[job.status.rawValue, default: 0] += 1 }
        let last = try await state.store.crawlJobs(originID: nil, limit: 1, offset: 0).first
        return JSONResponse.make(
            Overview(
                origins: Overview.Origins(
                    total: origins.count, enabled: origins.filter(\.enabled).count,
                    due: origins.filter { $0.enabled && ($0.nextRun.map { $0 <= now } ?? true) }.count),
                documents: counts.documents, chunks: counts.chunks, jobsLast24h: byStatus,
                pagesAttemptedLast24h: recent.reduce(0) { $0 + $1.counts.pagesAttempted },
                relevanceRatioLast24h: DashboardRoutes.relevance(of: recent),
                lastJob: last.map(JobBody.init)))
    }

    /// Days of the time series at most.
    static let seriesDays = 1...90

    func timeseries(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let days = try AdminRoutes.integer(request, "days", default: 7, range: Self.seriesDays)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Today is included: the last day of the series is the current UTC day, however far into it we are.
        let today = calendar.startOfDay(for: Date())
        let first = calendar.date(byAdding: .day, value: -(days - 1), to: today)!
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        var series = (0..<days).map { offset in
            Day(date: formatter.string(from: calendar.date(byAdding: .day, value: offset, to: first)!))
        }
        for job in try await jobs(since: first) {
            let index = calendar.dateComponents([.day], from: first, to: job.createdAt).day ?? -1
            guard series.indices.contains(index) else { continue }
            series[index].jobs += 1
            if job.status == .completed { series[index].completed += 1 }
            if job.status == .failed { series[index].failed += 1 }
            series[index].pagesAttempted += job.counts.pagesAttempted
            series[index].pagesSucceeded += job.counts.pagesSucceeded
            series[index].documentsAdded += job.counts.documentsAdded
            series[index].documentsUpdated += job.counts.documentsUpdated
            series[index].chunksEmbedded += job.counts.chunksEmbedded
        }
        return JSONResponse.make(Series(days: series))
    }

    func detail(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        guard let id = context.parameters.get("job_id"), id.utf8.count <= 64,
            id.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == "-" })
        else { throw APIError.invalid("job_id", "must be a job id") }
        guard let job = try await state.store.crawlJob(id: id) else { throw APIError.notFound("no job with this id") }
        return JSONResponse.make(JobBody(job: job))
    }
}
