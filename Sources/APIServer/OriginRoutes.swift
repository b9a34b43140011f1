import Foundation
import Hummingbird
import Store

/// `GET|POST /api/admin/origins`, `PUT|DELETE /api/admin/origins/{id}` and `GET /api/admin/origins/{id}/status`
/// (issue 17): the web sources the scheduler fetches, with the old platform's paths and field names. Every field is
/// checked by the store's one rule set (``OriginDraft/validated()``), so the API, the CLI and an import agree.
package struct OriginRoutes: Sendable {
    let state: ServerState

    /// An origin as the API shows it.
    package struct OriginBody: Encodable {
        package var origin: Origin

        package init(origin: Origin) { self.origin = origin }

        enum CodingKeys: String, CodingKey {
            case id, name, url, source, enabled
            case frequencyHours = "frequency_hours"
            case countryCode = "country_code"
            case topicTags = "topic_tags"
            case crawlPriority = "crawl_priority"
            case allowedPathPatterns = "allowed_path_patterns"
            case excludedPathPatterns = "excluded_path_patterns"
            case sitemapURL = "sitemap_url"
            case maxDepth = "max_depth"
            case maxPages = "max_pages"
            case lastRun = "last_run"
            case lastStatus = "last_status"
            case nextRun = "next_run"
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(origin.id, forKey: .id)
            try container.encode(origin.title, forKey: .name)
            try container.encode(origin.url, forKey: .url)
            try container.encode(origin.source, forKey: .source)
            try container.encode(origin.enabled, forKey: .enabled)
            try container.encode(origin.frequencyHours, forKey: .frequencyHours)
            try container.encode(origin.countryCode, forKey: .countryCode)
            try container.encode(origin.topicTags, forKey: .topicTags)
            try container.encode(origin.crawlPriority, forKey: .crawlPriority)
            try container.encode(origin.allowedPathPatterns, forKey: .allowedPathPatterns)
            try container.encode(origin.excludedPathPatterns, forKey: .excludedPathPatterns)
            try container.encode(origin.sitemapURL, forKey: .sitemapURL)
            try container.encode(origin.maxDepth, forKey: .maxDepth)
            try container.encode(origin.maxPages, forKey: .maxPages)
            try container.encode(origin.lastFetchedAt, forKey: .lastRun)
            try container.encode(origin.lastStatus, forKey: .lastStatus)
            try container.encode(origin.nextRun, forKey: .nextRun)
        }
    }

    struct OriginList: Encodable {
        var origins: [OriginBody]
        var total: Int
    }

    struct OriginStatus: Encodable {
        var id: Int64
        var enabled: Bool
        var lastRun: Date?
        var lastStatus: String?
        var nextRun: Date?
        /// Whether the scheduler would run it now (enabled, and its next run is not in the future).
        var due: Bool

        enum CodingKeys: String, CodingKey {
            case id, enabled, due
            case lastRun = "last_run"
            case lastStatus = "last_status"
            case nextRun = "next_run"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(enabled, forKey: .enabled)
            try container.encode(lastRun, forKey: .lastRun)
            try container.encode(lastStatus, forKey: .lastStatus)
            try container.encode(nextRun, forKey: .nextRun)
            try container.encode(due, forKey: .due)
        }
    }

    struct DeletedOrigin: Encodable {
        var id: Int64
        var deleted = true
        var documentsRemoved: Int

        enum CodingKeys: String, CodingKey {
            case id, deleted
            case documentsRemoved = "documents_removed"
        }
    }

    /// A request body's fields; on `PUT` an absent field keeps its value and `null` clears a nullable one.
    package struct OriginFields: Decodable {
        package var name: String?
        package var url: String?
        var source: String??
        var frequencyHours: Int?
        package var enabled: Bool?
        var countryCode: String??
        var topicTags: [String]?
        var crawlPriority: Int?
        var allowedPathPatterns: [String]?
        var excludedPathPatterns: [String]?
        var sitemapURL: String??
        var maxDepth: Int??
        var maxPages: Int??

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, url, source, enabled
            case frequencyHours = "frequency_hours"
            case countryCode = "country_code"
            case topicTags = "topic_tags"
            case crawlPriority = "crawl_priority"
            case allowedPathPatterns = "allowed_path_patterns"
            case excludedPathPatterns = "excluded_path_patterns"
            case sitemapURL = "sitemap_url"
            case maxDepth = "max_depth"
            case maxPages = "max_pages"
        }

        package init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(allowed: Set(CodingKeys.allCases.map(\.rawValue)))
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func nullable<T: Decodable>(_ key: CodingKeys, _ type: T.Type) throws -> T?? {
                guard container.contains(key) else { return nil }
                return .some(try container.decodeIfPresent(type, forKey: key))
            }
            name = try container.decodeIfPresent(String.self, forKey: .name)
            url = try container.decodeIfPresent(String.self, forKey: .url)
            source = try nullable(.source, String.self)
            frequencyHours = try container.decodeIfPresent(Int.self, forKey: .frequencyHours)
            enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
            countryCode = try nullable(.countryCode, String.self)
            topicTags = try container.decodeIfPresent([String].self, forKey: .topicTags)
            crawlPriority = try container.decodeIfPresent(Int.self, forKey: .crawlPriority)
            allowedPathPatterns = try container.decodeIfPresent([String].self, forKey: .allowedPathPatterns)
            excludedPathPatterns = try container.decodeIfPresent([String].self, forKey: .excludedPathPatterns)
            sitemapURL = try nullable(.sitemapURL, String.self)
            maxDepth = try nullable(.maxDepth, Int.self)
            maxPages = try nullable(.maxPages, Int.self)
            for text in [name, url, source ?? nil, countryCode ?? nil, sitemapURL ?? nil].compactMap({ $0 }) {
                try TextRules.checkControls(text, field: "origin")
            }
        }

        /// These fields over `base`.
        package func applied(to base: OriginDraft) -> OriginDraft {
            var draft = base
            if let name { draft.name = name }
            if let url { draft.url = url }
            if let source { draft.source = source }
            if let frequencyHours { draft.frequencyHours = frequencyHours }
            if let enabled { draft.enabled = enabled }
            if let countryCode { draft.countryCode = countryCode }
            if let topicTags { draft.topicTags = topicTags }
            if let crawlPriority { draft.crawlPriority = crawlPriority }
            if let allowedPathPatterns { draft.allowedPathPatterns = allowedPathPatterns }
            if let excludedPathPatterns { draft.excludedPathPatterns = excludedPathPatterns }
            if let sitemapURL { draft.sitemapURL = sitemapURL }
            if let maxDepth { draft.maxDepth = maxDepth }
            if let maxPages { draft.maxPages = maxPages }
            return draft
        }
    }

    func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let origins = try await state.store.origins()
        return JSONResponse.make(OriginList(origins: origins.map(OriginBody.init), total: origins.count))
    }

    func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        var request = request
        let fields = try await RequestBodies.json(
            OriginFields.self, from: &request, limit: state.configuration.maxJSONBodyBytes)
        guard fields.url != nil else { throw APIError.invalid("url", "is required") }
        guard fields.name != nil else { throw APIError.invalid("name", "is required") }
        let origin = try await Self.stored {
            try await state.store.createOrigin(fields.applied(to: OriginDraft(url: "")))
        }
        context.logger.info("origin created", metadata: ["origin_id": .stringConvertible(origin.id)])
        return JSONResponse.make(OriginBody(origin: origin), status: .created)
    }

    func update(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try Self.originID(context)
        var request = request
        let fields = try await RequestBodies.json(
            OriginFields.self, from: &request, limit: state.configuration.maxJSONBodyBytes)
        guard let current = try await state.store.origin(id: id) else {
            throw APIError.notFound("no origin with this id")
        }
        let origin = try await Self.stored {
            try await state.store.updateOrigin(id: id, fields.applied(to: Self.draft(of: current)))
        }
        return JSONResponse.make(OriginBody(origin: origin))
    }

    func delete(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try Self.originID(context)
        let withDocuments: Bool
        switch request.uri.queryParameters.get("delete_documents")?.lowercased() {
        case nil, "false": withDocuments = false
        case "true": withDocuments = true
        default: throw APIError.invalid("delete_documents", "must be true or false")
        }
        guard try await state.store.origin(id: id) != nil else { throw APIError.notFound("no origin with this id") }
        // Read before the origin goes: its pages forget it then (ON DELETE SET NULL).
        let documents = withDocuments ? try await state.store.crawledDocumentIDs(originID: id) : []
        try await Self.stored { try await state.store.deleteOrigin(id: id) }
        var removed = 0
        for document in documents {
            do {
                try await state.knowledgeBase.deleteDocument(id: document)
                removed += 1
            } catch let error as StoreError where error.code == .notFound {
                continue
            }
        }
        context.logger.info(
            "origin deleted",
            metadata: ["origin_id": .stringConvertible(id), "documents_removed": .stringConvertible(removed)])
        return JSONResponse.make(DeletedOrigin(id: id, documentsRemoved: removed))
    }

    func status(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try Self.originID(context)
        guard let origin = try await state.store.origin(id: id) else {
            throw APIError.notFound("no origin with this id")
        }
        let due = origin.enabled && (origin.nextRun.map { $0 <= Date() } ?? true)
        return JSONResponse.make(
            OriginStatus(
                id: origin.id, enabled: origin.enabled, lastRun: origin.lastFetchedAt, lastStatus: origin.lastStatus,
                nextRun: origin.nextRun, due: due))
    }

    /// The settings of a stored origin, to apply a partial update over.
    package static func draft(of origin: Origin) -> OriginDraft {
        OriginDraft(
            url: origin.url, name: origin.title, source: origin.source, frequencyHours: origin.frequencyHours,
            enabled: origin.enabled, countryCode: origin.countryCode, topicTags: origin.topicTags,
            crawlPriority: origin.crawlPriority, allowedPathPatterns: origin.allowedPathPatterns,
            excludedPathPatterns: origin.excludedPathPatterns, sitemapURL: origin.sitemapURL, maxDepth: origin.maxDepth,
            maxPages: origin.maxPages)
    }

    /// Runs a store write, its rule violations as 422 naming the field and a missing origin as 404.
    static func stored<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError where error.code == .invalidInput {
            throw APIError(.unprocessableContent, .validation, error.message)
        } catch let error as StoreError where error.code == .notFound {
            throw APIError.notFound("no origin with this id")
        } catch let error as StoreError where error.code == .conflict {
            throw APIError(.conflict, .conflict, "an origin with this url exists")
        }
    }

    /// The `{id}` path parameter: a positive whole number.
    static func originID(_ context: APIRequestContext) throws -> Int64 {
        guard let raw = context.parameters.get("id"), let id = Int64(raw), id > 0 else {
            throw APIError.invalid("id", "must be an origin id (a positive whole number)")
        }
        return id
    }
}
