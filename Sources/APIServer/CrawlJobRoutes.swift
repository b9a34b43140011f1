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

    func detail(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        guard let id = context.parameters.get("job_id"), id.utf8.count <= 64,
            id.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == "-" })
        else { throw APIError.invalid("job_id", "must be a job id") }
        guard let job = try await state.store.crawlJob(id: id) else { throw APIError.notFound("no job with this id") }
        return JSONResponse.make(JobBody(job: job))
    }
}
