import ConcurrencySupport
import Crawling
import Foundation
import Hummingbird
import Origins
import Settings
import Store

/// The dashboard's views of origins, documents and settings (issue 17), with the old platform's paths:
/// `GET /api/admin/dashboard/origins`, `origins/{id}`, `origins/{id}/config`, `documents`, `documents/{id}` and
/// `GET|PUT /api/admin/dashboard/settings`. Lists are paged, with `total` counted before paging.
struct DashboardRoutes: Sendable {
    let state: ServerState

    /// Jobs an origin's figures (last job, success rate, relevance) are computed over: its most recent ones.
    static let recentJobs = 20

    /// An origin with the figures of its recent crawls.
    struct OriginSummary: Encodable {
        var origin: OriginRoutes.OriginBody
        var documents: Int
        var recentJobs: [CrawlJob]
        var includeJobs: Bool

        enum CodingKeys: String, CodingKey {
            case documents
            case jobsConsidered = "jobs_considered"
            case lastJob = "last_job"
            case successRate = "success_rate"
            case relevanceRatio = "relevance_ratio"
            case pagesAttempted = "pages_attempted"
            case recentJobs = "recent_jobs"
        }

        func encode(to encoder: any Encoder) throws {
            try origin.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(documents, forKey: .documents)
            try container.encode(recentJobs.count, forKey: .jobsConsidered)
            try container.encode(recentJobs.first.map(CrawlJobRoutes.JobBody.init), forKey: .lastJob)
            let finished = recentJobs.filter { $0.status.isFinal }
            let rate =
                finished.isEmpty
                ? nil : Double(finished.filter { $0.status == .completed }.count) / Double(finished.count)
            try container.encode(rate, forKey: .successRate)
            try container.encode(DashboardRoutes.relevance(of: recentJobs), forKey: .relevanceRatio)
            try container.encode(recentJobs.reduce(0) { $0 + $1.counts.pagesAttempted }, forKey: .pagesAttempted)
            if includeJobs { try container.encode(recentJobs.map(CrawlJobRoutes.JobBody.init), forKey: .recentJobs) }
        }
    }

    /// ``CrawlCounts/relevanceRatio`` of `jobs` together.
    static func relevance(of jobs: [CrawlJob]) -> Double? {
        var together = CrawlCounts()
        for job in jobs {
            together.pagesSucceeded += job.counts.pagesSucceeded
            together.pagesIrrelevant += job.counts.pagesIrrelevant
        }
        return together.relevanceRatio
    }

    struct OriginPage: Encodable {
        var origins: [OriginSummary]
        var total: Int
        var limit: Int
        var offset: Int
    }

    func summary(of origin: Origin, includeJobs: Bool) async throws -> OriginSummary {
        OriginSummary(
            origin: OriginRoutes.OriginBody(origin: origin),
            documents: try await state.store.crawledDocumentIDs(originID: origin.id).count,
            recentJobs: try await state.store.crawlJobs(originID: origin.id, limit: Self.recentJobs, offset: 0),
            includeJobs: includeJobs)
    }

    func origins(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let limit = try AdminRoutes.integer(
            request, "limit", default: AdminRoutes.defaultPageSize, range: AdminRoutes.pageSizes)
        let offset = try AdminRoutes.integer(request, "offset", default: 0, range: AdminRoutes.offsets)
        let all = try await state.store.origins()
        var page: [OriginSummary] = []
        for origin in all.dropFirst(offset).prefix(limit) {
            page.append(try await summary(of: origin, includeJobs: false))
        }
        return JSONResponse.make(OriginPage(origins: page, total: all.count, limit: limit, offset: offset))
    }

    func origin(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try OriginRoutes.originID(context)
        guard let origin = try await state.store.origin(id: id) else {
            throw APIError.notFound("no origin with this id")
        }
        return JSONResponse.make(try await summary(of: origin, includeJobs: true))
    }

    /// One field of an origin's effective crawl configuration and where its value comes from.
    struct ConfigField: Encodable {
        var value: SettingValue
        /// `origin` (the origin's own value) or `settings` (the platform's, stored or from the environment).
        var source: String
    }

    struct OriginConfig: Encodable {
        var originID: Int64
        var config: [String: ConfigField]

        enum CodingKeys: String, CodingKey {
            case originID = "origin_id"
            case config
        }
    }

    func originConfig(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try OriginRoutes.originID(context)
        guard let origin = try await state.store.origin(id: id) else {
            throw APIError.notFound("no origin with this id")
        }
        let settings = try await state.runtimeSettings().crawl
        func pick<T>(_ own: T?, _ fallback: T, _ value: (T) -> SettingValue) -> ConfigField {
            own.map { ConfigField(value: value($0), source: "origin") }
                ?? ConfigField(value: value(fallback), source: "settings")
        }
        let number = { (value: Int) in SettingValue.number(Double(value)) }
        let config: [String: ConfigField] = [
            "url": ConfigField(value: .string(origin.url), source: "origin"),
            "frequency_hours": ConfigField(value: number(origin.frequencyHours), source: "origin"),
            "sitemap_url": ConfigField(value: origin.sitemapURL.map(SettingValue.string) ?? .null, source: "origin"),
            "topic_tags": ConfigField(value: .strings(origin.topicTags), source: "origin"),
            "crawl_priority": ConfigField(value: number(origin.crawlPriority), source: "origin"),
            "max_depth": pick(origin.maxDepth, settings.maxDepth, number),
            "max_pages": pick(origin.maxPages, settings.maxPagesPerRun, number),
            "allowed_path_patterns": pick(
                origin.allowedPathPatterns.isEmpty ? nil : origin.allowedPathPatterns, settings.allowedPaths,
                SettingValue.strings),
            "excluded_path_patterns": pick(
                origin.excludedPathPatterns.isEmpty ? nil : origin.excludedPathPatterns, settings.excludedPaths,
                SettingValue.strings),
            "timeout_seconds": ConfigField(value: .number(settings.timeout.timeInterval), source: "settings"),
            "retry_attempts": ConfigField(value: number(settings.retryAttempts), source: "settings"),
            "delay_between_requests": ConfigField(
                value: .number(settings.delayBetweenRequests.timeInterval), source: "settings"),
            "respect_robots_txt": ConfigField(value: .bool(settings.respectRobotsTxt), source: "settings"),
            "user_agent": ConfigField(value: .string(settings.userAgent), source: "settings"),
            "topic_filtering": ConfigField(value: .bool(settings.topicFiltering), source: "settings"),
            "policy_keyword_threshold": ConfigField(
                value: .number(settings.policyKeywordThreshold), source: "settings"),
            "priority_queue": ConfigField(value: .bool(settings.priorityQueue), source: "settings"),
        ]
        return JSONResponse.make(OriginConfig(originID: id, config: config))
    }

    /// A document as the dashboard lists it: the admin document fields and the origin it was crawled for.
    struct DashboardDocument: Encodable {
        var document: AdminRoutes.DocumentSummary
        var originID: Int64?
        var chunks: Int?
        var crawl: CrawlPage?

        enum CodingKeys: String, CodingKey {
            case originID = "origin_id"
            case chunks, crawl
        }

        enum CrawlKeys: String, CodingKey {
            case url, etag
            case lastModified = "last_modified"
            case lastStatus = "last_status"
            case fetchedAt = "fetched_at"
            case missingRuns = "missing_runs"
        }

        init(_ document: StoredDocument, chunks: Int? = nil, crawl: CrawlPage? = nil) {
            self.document = AdminRoutes.DocumentSummary(document)
            originID = document.metadata[CrawlRun.originMetadataKey].flatMap { Int64($0) }
            self.chunks = chunks
            self.crawl = crawl
        }

        func encode(to encoder: any Encoder) throws {
            try document.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(originID, forKey: .originID)
            if let chunks { try container.encode(chunks, forKey: .chunks) }
            if let crawl {
                var nested = container.nestedContainer(keyedBy: CrawlKeys.self, forKey: .crawl)
                try nested.encode(crawl.url, forKey: .url)
                try nested.encode(crawl.etag, forKey: .etag)
                try nested.encode(crawl.lastModified, forKey: .lastModified)
                try nested.encode(crawl.lastStatus, forKey: .lastStatus)
                try nested.encode(crawl.fetchedAt, forKey: .fetchedAt)
                try nested.encode(crawl.missingRuns, forKey: .missingRuns)
            } else if chunks != nil {
                try container.encodeNil(forKey: .crawl)
            }
        }
    }

    struct DocumentPage: Encodable {
        var documents: [DashboardDocument]
        var total: Int
        var limit: Int
        var offset: Int
    }

    func documents(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let limit = try AdminRoutes.integer(
            request, "limit", default: AdminRoutes.defaultPageSize, range: AdminRoutes.pageSizes)
        let offset = try AdminRoutes.integer(request, "offset", default: 0, range: AdminRoutes.offsets)
        let page: [StoredDocument]
        let total: Int
        if let text = request.uri.queryParameters.get("origin_id") {
            guard let origin = Int64(text), origin > 0 else {
                throw APIError.invalid("origin_id", "must be an origin id (a positive whole number)")
            }
            let ids = try await state.store.crawledDocumentIDs(originID: origin)
            total = ids.count
            var found: [StoredDocument] = []
            for id in ids.dropFirst(offset).prefix(limit) {
                if let document = try await state.store.document(id: id) { found.append(document) }
            }
            page = found
        } else {
            page = try await state.store.documents(limit: limit, offset: offset)
            total = try await state.store.counts().documents
        }
        return JSONResponse.make(
            DocumentPage(documents: page.map { DashboardDocument($0) }, total: total, limit: limit, offset: offset))
    }

    func document(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try AdminRoutes.documentID(context)
        guard let document = try await state.store.document(id: id) else {
            throw APIError.notFound("no document with this id")
        }
        let chunks = try await state.store.chunks(documentID: id).count
        var crawl: CrawlPage?
        if let url = document.url, let key = CanonicalURL.canonical(url) {
            crawl = try await state.store.crawlPage(url: key)
        }
        return JSONResponse.make(DashboardDocument(document, chunks: chunks, crawl: crawl))
    }

    /// `GET|PUT /api/admin/dashboard/settings`: every setting with its effective value and where it comes from.
    struct SettingsBody: Encodable {
        var settings: [String: SettingValue]
        var sources: [String: String]
    }

    func settingsBody() async throws -> SettingsBody {
        let stored = try await state.store.platformSettings()
        let effective = try PlatformSettings.effective(state.configuration.variables, stored: stored)
        return SettingsBody(
            settings: Dictionary(uniqueKeysWithValues: effective.map { ($0.key, $0.value) }),
            sources: Dictionary(uniqueKeysWithValues: effective.map { ($0.key, $0.origin) }))
    }

    func settings(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        JSONResponse.make(try await settingsBody())
    }

    /// Keys left out keep their value; `null` clears a stored value (the environment's, or the default, applies
    /// again). Every replica reads the stored values before each crawl and each live web fallback.
    func updateSettings(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        var request = request
        let changes = try await RequestBodies.json(
            [String: SettingValue].self, from: &request, limit: state.configuration.maxJSONBodyBytes)
        let stored = try await state.store.platformSettings()
        let checked: [String: String?]
        do {
            checked = try PlatformSettings.changes(changes, environment: state.configuration.variables, stored: stored)
        } catch let error as ConfigurationError {
            throw APIError.invalid(error.variable, error.message)
        }
        _ = try await state.store.savePlatformSettings(checked, now: Date())
        context.logger.info(
            "settings changed", metadata: ["keys": .string(checked.keys.sorted().joined(separator: ","))])
        return JSONResponse.make(try await settingsBody())
    }
}
