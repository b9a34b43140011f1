import HTTPTypes

/// An operation of the API: which handler serves a route, and its OpenAPI `operationId` (the raw value).
enum APIOperation: String, CaseIterable, Sendable {
    case askPage, documentsPage, readPage, originalFile, adminPage, asset, health, ready, metrics
    case openAPI = "openapi"
    case docs, query, retrieve, login, me, ingestText, upload, listDocuments, getDocument, deleteDocument
    case adminHealth, listUsers, createUser, updateUser, listOrigins, createOrigin, updateOrigin, deleteOrigin,
        originStatus, crawlOrigin, listJobs, getJob
    case dashboardOverview, dashboardTimeseries, dashboardOrigins, dashboardOrigin, dashboardOriginConfig
    case dashboardDocuments, dashboardDocument, dashboardSettings, updateDashboardSettings
}

/// Who may call a route; decides the middleware in front of its handler and the answers that middleware gives.
enum RouteAccess: Sendable {
    /// Anyone, unlimited.
    case open
    /// Anyone, within the per-address search rate limit (429).
    case searchRateLimited
    /// A valid bearer token (401 without one).
    case signedIn
    /// A valid bearer token of an admin (401, then 403).
    case admin
}

/// One route of ``APIContract``.
struct APIRoute: Sendable {
    let operation: APIOperation
    let method: HTTPRequest.Method
    /// The path with `{name}` for a path parameter, as both Hummingbird and OpenAPI write it.
    let path: String
    let access: RouteAccess
    let tag: String?
    let summary: String
    let description: String?
    let parameters: [APIParameter]
    let requestBody: APIRequestBody?
    /// What the handler answers; ``allResponses`` adds what the access and the server add.
    let responses: [APIResponse]

    init(
        _ operation: APIOperation, _ method: HTTPRequest.Method, _ path: String, access: RouteAccess = .open,
        tag: String? = nil, summary: String, description: String? = nil, parameters: [APIParameter] = [],
        requestBody: APIRequestBody? = nil, responses: [APIResponse]
    ) {
        self.operation = operation
        self.method = method
        self.path = path
        self.access = access
        self.tag = tag
        self.summary = summary
        self.description = description
        self.parameters = parameters
        self.requestBody = requestBody
        self.responses = responses
    }

    /// Every answer the route can give, by status: the handler's, then the access check's, then a late body's
    /// (408) and the server's own failure (500).
    var allResponses: [APIResponse] {
        var all = responses
        switch access {
        case .open: break
        case .searchRateLimited: all.append(.rateLimited)
        case .signedIn: all.append(.unauthenticated)
        case .admin: all += [.unauthenticated, .forbidden]
        }
        if requestBody != nil { all.append(.bodyTimeout) }
        all.append(.internalError)
        var seen = Set<Int>()
        return all.filter { seen.insert($0.status).inserted }.sorted { $0.status < $1.status }
    }

    /// Whether the path template matches a request path split into segments.
    func matches(_ segments: [Substring]) -> Bool {
        let template = APIContract.pathSegments(path)
        guard template.count == segments.count else { return false }
        return zip(template, segments).allSatisfy { pattern, segment in
            pattern.hasPrefix("{") || pattern == segment
        }
    }
}

/// A schema: a name under `components/schemas` or an inline JSON Schema text.
enum SchemaReference: Sendable {
    case schema(String)
    case inline(String)
}

/// A media type of a body and its schema.
struct MediaType: Sendable {
    let name: String
    let schema: SchemaReference
    /// For `text/event-stream`: each event's name and the schema of its `data` (written as `x-events`, which
    /// OpenAPI leaves to extensions).
    let events: [(name: String, schema: String)]

    init(_ name: String, _ schema: SchemaReference, events: [(name: String, schema: String)] = []) {
        self.name = name
        self.schema = schema
        self.events = events
    }

    static func json(_ schemaName: String) -> MediaType { MediaType("application/json", .schema(schemaName)) }
}

/// A request body (always required where a route has one).
struct APIRequestBody: Sendable {
    let content: [MediaType]

    static func json(_ schemaName: String) -> APIRequestBody { APIRequestBody(content: [.json(schemaName)]) }
}

/// A query or path parameter.
struct APIParameter: Sendable {
    enum Location: String, Sendable { case query, path }

    let name: String
    let location: Location
    /// Inline JSON Schema text.
    let schema: String

    init(_ name: String, in location: APIParameter.Location, schema: String) {
        self.name = name
        self.location = location
        self.schema = schema
    }

    static let documentID = APIParameter("id", in: .path, schema: #"{"type": "string"}"#)
    static let originID = APIParameter("id", in: .path, schema: #"{"type": "integer", "minimum": 1}"#)
    /// The page size of the admin lists, with the limits their handlers enforce.
    static let pageLimit = APIParameter(
        "limit", in: .query,
        schema: """
            {"type": "integer", "minimum": \(AdminRoutes.pageSizes.lowerBound), \
            "maximum": \(AdminRoutes.pageSizes.upperBound), "default": \(AdminRoutes.defaultPageSize)}
            """)
    static let pageOffset = APIParameter(
        "offset", in: .query,
        schema: """
            {"type": "integer", "minimum": \(AdminRoutes.offsets.lowerBound), \
            "maximum": \(AdminRoutes.offsets.upperBound), "default": 0}
            """)
}

/// One status a route answers with, and its body.
struct APIResponse: Sendable {
    let status: Int
    let description: String
    let content: [MediaType]

    init(_ status: Int, _ description: String, content: [MediaType]) {
        self.status = status
        self.description = description
        self.content = content
    }

    static func ok(_ description: String, _ schema: SchemaReference) -> APIResponse {
        APIResponse(200, description, content: [MediaType("application/json", schema)])
    }

    /// An error answer: `{"detail": "..."}`.
    static func error(_ status: Int, _ description: String) -> APIResponse {
        APIResponse(status, description, content: [.json("Error")])
    }

    static let page = APIResponse(200, "HTML page", content: [MediaType("text/html", .inline(#"{"type": "string"}"#))])
    /// The HTML page for a path that names nothing.
    static let pageNotFound = APIResponse(
        404, "HTML page saying that nothing has this id",
        content: [MediaType("text/html", .inline(#"{"type": "string"}"#))])
    static let malformedBody = error(400, "Malformed body (not JSON, bad multipart)")
    static let unauthenticated = error(401, "Missing or invalid bearer token (WWW-Authenticate: Bearer)")
    static let forbidden = error(403, "The user is not an admin")
    static let noSuchDocument = error(404, "No such document")
    static let noSuchOrigin = error(404, "No such origin")
    static let noSuchJob = error(404, "No such job")
    static let bodyTimeout = error(408, "The request body did not arrive in time")
    static let conflict = error(409, "The request conflicts with stored data")
    static let tooLarge = error(
        413,
        """
        Body over the cap (JSON \(ServerConfiguration.defaultMaxJSONBodyBytes >> 20) MB, uploads \
        \(ServerConfiguration.defaultMaxUploadBytes >> 20) MB, logins \(AuthRoutes.maxLoginBodyBytes >> 10) KB)
        """)
    static let unsupportedMediaType = error(415, "Wrong Content-Type")
    static let invalidField = error(422, "A field breaks a rule; the detail names it")
    static let rateLimited = error(429, "Rate limited; see Retry-After")
    static let internalError = error(500, "The server failed; the detail says no more (the log has the cause)")
    static let unavailable = error(
        503, "A dependency is unavailable (the database busy, the request cancelled); see Retry-After when given")
}
