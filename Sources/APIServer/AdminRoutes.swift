import EmbedCache
import Foundation
import Hummingbird
import Knowledge
import Store

/// `GET /api/admin/documents` (paged), `GET|DELETE /api/admin/documents/{id}` and `GET /api/admin/health`.
struct AdminRoutes: Sendable {
    let state: ServerState

    struct DocumentSummary: Encodable {
        var documentID: String
        var title: String
        var source: String
        var url: String?
        var docType: String
        var contentHash: String
        var metadata: [String: String]
        var createdAt: Date
        var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case documentID = "document_id"
            case title, source, url, metadata
            case docType = "doc_type"
            case contentHash = "content_hash"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        init(_ document: StoredDocument) {
            documentID = document.id
            title = document.title
            source = document.source
            url = document.url
            docType = document.type
            contentHash = document.contentHash
            metadata = document.metadata
            createdAt = document.createdAt
            updatedAt = document.updatedAt
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(documentID, forKey: .documentID)
            try container.encode(title, forKey: .title)
            try container.encode(source, forKey: .source)
            try container.encode(url, forKey: .url)
            try container.encode(docType, forKey: .docType)
            try container.encode(contentHash, forKey: .contentHash)
            try container.encode(metadata, forKey: .metadata)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(updatedAt, forKey: .updatedAt)
        }
    }

    struct DocumentList: Encodable {
        var documents: [DocumentSummary]
        var total: Int
        var limit: Int
        var offset: Int
    }

    struct ChunkDetail: Encodable {
        var chunk: StoredChunk

        enum CodingKeys: String, CodingKey {
            case chunkID = "chunk_id"
            case chunkIndex = "chunk_index"
            case text, section
            case headingPath = "heading_path"
            case pageStart = "page_start"
            case pageEnd = "page_end"
            case charStart = "char_start"
            case charEnd = "char_end"
            case tokenCount = "token_count"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(chunk.chunkID, forKey: .chunkID)
            try container.encode(chunk.ordinal, forKey: .chunkIndex)
            try container.encode(chunk.text, forKey: .text)
            try container.encode(chunk.section, forKey: .section)
            try container.encode(chunk.headingPath, forKey: .headingPath)
            try container.encode(chunk.pageStart, forKey: .pageStart)
            try container.encode(chunk.pageEnd, forKey: .pageEnd)
            try container.encode(chunk.charStart, forKey: .charStart)
            try container.encode(chunk.charEnd, forKey: .charEnd)
            try container.encode(chunk.tokenCount, forKey: .tokenCount)
        }
    }

    struct DocumentDetail: Encodable {
        var document: DocumentSummary
        var chunks: [ChunkDetail]

        enum CodingKeys: String, CodingKey { case chunks }

        func encode(to encoder: any Encoder) throws {
            try document.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(chunks, forKey: .chunks)
        }
    }

    struct DeleteResponse: Encodable {
        var documentID: String
        var deleted = true
        var chunksRemoved: Int

        enum CodingKeys: String, CodingKey {
            case documentID = "document_id"
            case deleted
            case chunksRemoved = "chunks_removed"
        }
    }

    /// The `limit` and `offset` query parameters of the document list (`/openapi.json` quotes them).
    static let pageSizes = 1...200
    static let defaultPageSize = 50
    static let offsets = 0...1_000_000_000

    func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let limit = try Self.integer(request, "limit", default: Self.defaultPageSize, range: Self.pageSizes)
        let offset = try Self.integer(request, "offset", default: 0, range: Self.offsets)
        let documents = try await state.store.documents(limit: limit, offset: offset)
        let total = try await state.store.counts().documents
        return JSONResponse.make(
            DocumentList(documents: documents.map(DocumentSummary.init), total: total, limit: limit, offset: offset))
    }

    func detail(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try Self.documentID(context)
        guard let document = try await state.store.document(id: id) else {
            throw APIError.notFound("no document with this id")
        }
        let chunks = try await state.store.chunks(documentID: id)
        return JSONResponse.make(
            DocumentDetail(document: DocumentSummary(document), chunks: chunks.map { ChunkDetail(chunk: $0) }))
    }

    func delete(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try Self.documentID(context)
        let removed: Int
        do {
            removed = try await state.knowledgeBase.deleteDocument(id: id)
        } catch let error as StoreError where error.code == .notFound {
            throw APIError.notFound("no document with this id")
        }
        context.logger.info("document deleted", metadata: ["document_id": .string(id)])
        return JSONResponse.make(DeleteResponse(documentID: id, chunksRemoved: removed))
    }

    func health(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        JSONResponse.make(await HealthReport.make(state))
    }

    /// The `{id}` path parameter, percent-decoded. Control characters are refused here: SQLite would cut
    /// `doc%00junk` at the NUL and find (or delete) `doc`.
    static func documentID(_ context: APIRequestContext) throws -> String {
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, !id.isEmpty,
            id.utf8.count <= 1024
        else { throw APIError.invalid("id", "must be a document id") }
        try TextRules.check(id, field: "id", maxScalars: 1024)
        return id
    }

    /// A whole-number query parameter in `range`, or `fallback` when absent.
    static func integer(_ request: Request, _ name: String, default fallback: Int, range: ClosedRange<Int>) throws
        -> Int
    {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalid(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}

/// What `GET /api/admin/health` reports.
struct HealthReport: Encodable {
    struct Database: Encodable {
        var status: String
        var documents: Int?
        var chunks: Int?
    }

    struct Index: Encodable {
        var count: Int
        var dimension: Int
    }

    struct Embedding: Encodable {
        var fingerprint: String
        var dimension: Int
    }

    struct Cache: Encodable {
        var entries: Int
        var hits: Int
        var misses: Int
        var hitRate: Double?

        enum CodingKeys: String, CodingKey {
            case entries, hits, misses
            case hitRate = "hit_rate"
        }
    }

    struct Qdrant: Encodable {
        var configured: Bool
        /// `local` or `qdrant`: where dense search runs.
        var backend: String
        var collection: String?
        var pending: Int?
        var lastSuccess: Date?
        var lastError: String?
        var lastErrorAt: Date?
        /// Whether the collection answers, with its point count (`points`).
        var probe = Probe(countsPoints: true)

        enum CodingKeys: String, CodingKey {
            case configured, backend, collection, pending
            case lastSuccess = "last_success"
            case lastError = "last_error"
            case lastErrorAt = "last_error_at"
        }

        /// Nil fields are written as null, so clients always see every key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(configured, forKey: .configured)
            try container.encode(backend, forKey: .backend)
            try container.encode(collection, forKey: .collection)
            try container.encode(pending, forKey: .pending)
            try container.encode(lastSuccess, forKey: .lastSuccess)
            try container.encode(lastError, forKey: .lastError)
            try container.encode(lastErrorAt, forKey: .lastErrorAt)
            try probe.encode(to: encoder)
        }
    }

    struct LLM: Encodable {
        var configured: Bool
        var baseURLHost: String?
        var model: String?
        /// Whether `GET {base}/models` answers.
        var probe = Probe(countsPoints: false)

        enum CodingKeys: String, CodingKey {
            case configured, model
            case baseURLHost = "base_url_host"
        }

        /// Nil fields are written as null, so clients always see every key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(configured, forKey: .configured)
            try container.encode(baseURLHost, forKey: .baseURLHost)
            try container.encode(model, forKey: .model)
            try probe.encode(to: encoder)
        }
    }

    /// A peer's last reachability probe, written into its owner's object (all null when the peer is not
    /// configured).
    struct Probe: Encodable {
        let countsPoints: Bool
        var reachable: Bool?
        var points: Int?
        var probeError: String?
        var probeMilliseconds: Double?
        var checkedAt: Date?

        enum CodingKeys: String, CodingKey {
            case reachable, points
            case probeError = "probe_error"
            case probeMilliseconds = "probe_ms"
            case checkedAt = "checked_at"
        }

        init(countsPoints: Bool) {
            self.countsPoints = countsPoints
        }

        mutating func record(_ outcome: PeerProbes.Outcome?) {
            guard let outcome else { return }
            reachable = outcome.reachable
            points = outcome.points
            probeError = outcome.error
            probeMilliseconds = outcome.milliseconds
            checkedAt = outcome.checkedAt
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reachable, forKey: .reachable)
            if countsPoints { try container.encode(points, forKey: .points) }
            try container.encode(probeError, forKey: .probeError)
            try container.encode(probeMilliseconds, forKey: .probeMilliseconds)
            try container.encode(checkedAt, forKey: .checkedAt)
        }
    }

    var status: String
    var database: Database
    var index: Index
    var embedding: Embedding
    var cache: Cache?
    var qdrant: Qdrant
    var llm: LLM

    static func make(_ state: ServerState) async -> HealthReport {
        let base = state.knowledgeBase
        var database = Database(status: "ok")
        do {
            let counts = try await state.store.counts()
            database.documents = counts.documents
            database.chunks = counts.chunks
        } catch {
            database.status = "error"
        }
        var qdrant = Qdrant(
            configured: state.configuration.qdrantConfigured, backend: state.configuration.retrievalBackend.rawValue,
            collection: state.configuration.qdrant?.collection)
        if qdrant.configured { qdrant.pending = try? await state.store.pendingOutboxCount() }
        if let status = state.mirror?.status {
            qdrant.lastSuccess = status.lastSuccess
            qdrant.lastError = status.lastError
            qdrant.lastErrorAt = status.lastErrorAt
        }
        let cache = (base.embedder as? CachedEmbedder).map { cached in
            let s = cached.cache.statistics
            let lookups = s.hits + s.misses
            return Cache(
                entries: s.entries, hits: s.hits, misses: s.misses,
                hitRate: lookups > 0 ? Double(s.hits) / Double(lookups) : nil)
        }
        async let llmProbe = state.probes.llm(state.answerer.chat)
        async let qdrantProbe = state.probes.qdrant(state.configuration.qdrant)
        qdrant.probe.record(await qdrantProbe)
        let chat = state.answerer.chat?.configuration
        var llm = LLM(
            configured: chat != nil, baseURLHost: chat.flatMap { URLComponents(string: $0.baseURL)?.host },
            model: chat?.model)
        llm.probe.record(await llmProbe)
        // A peer that is down leaves the server answering (extractive answers, the local index), but not whole.
        let whole = database.status == "ok" && llm.probe.reachable != false && qdrant.probe.reachable != false
        return HealthReport(
            status: whole ? "ok" : "degraded", database: database,
            index: Index(count: base.index.count, dimension: base.index.configuration.dimension),
            embedding: Embedding(fingerprint: base.embedder.fingerprint, dimension: base.embedder.dimension),
            cache: cache, qdrant: qdrant, llm: llm)
    }
}
