import HTTPTypes

/// The HTTP API declared once (ARCHITECTURE.md, "The HTTP contract"): the router registers these routes, the
/// 405 `Allow` table reads them and `/openapi.json` is written from them, so the three cannot drift apart.
///
/// A route names its operation (the handler and the OpenAPI `operationId`), who may call it, and what it
/// answers. The answers that come from a route's access rather than its handler (401 and 403 from the bearer
/// check, 429 from the search rate limit) and those every route can give (500, and 408 where a body is read)
/// are added from ``APIRoute/access`` and ``APIRoute/requestBody`` by ``APIRoute/allResponses``, in one place.
enum APIContract {
    static let routes: [APIRoute] = [
        APIRoute(
            .askPage, .get, "/", summary: "Ask page",
            description: "A web page to ask questions, with answers streamed and sources shown with section and page.",
            responses: [.page]),
        APIRoute(
            .documentsPage, .get, "/documents", access: .searchRateLimited, summary: "Documents page",
            description: "Every document, paged (`offset`), each linking to its read page.",
            parameters: [.pageOffset], responses: [.page, .invalidField]),
        APIRoute(
            .readPage, .get, "/documents/{id}", access: .searchRateLimited, summary: "Read page",
            description:
                "A document's passages in order with their sections and pages; each passage is the element "
                + "`chunk-<chunk id>` (the id percent-encoded as encodeURIComponent does), which citations link to.",
            parameters: [.documentID], responses: [.page, .pageNotFound, .invalidField]),
        APIRoute(
            .originalFile, .get, "/documents/{id}/original", access: .searchRateLimited, summary: "Original file",
            description:
                "The file the document was ingested from (PDF as application/pdf, anything else as plain text); "
                + "without a kept original, a redirect (302) to the document's http(s) URL, else 404.",
            parameters: [.documentID],
            responses: [
                APIResponse(
                    200, "The original file",
                    content: [
                        MediaType("application/pdf", .inline(#"{"type": "string", "format": "binary"}"#)),
                        MediaType("text/plain", .inline(#"{"type": "string"}"#)),
                    ]),
                APIResponse(302, "The document's source URL", content: []),
                .pageNotFound, .invalidField,
            ]),
        APIRoute(
            .adminPage, .get, "/admin", summary: "Administration page",
            description: "Sign-in, documents, origins and jobs, system health; uses the admin API with the token.",
            responses: [.page]),
        APIRoute(
            .asset, .get, "/assets/{name}", summary: "A page's stylesheet or script",
            description: "Named by the pages with a `v` query parameter of their content's hash; cached for a year.",
            parameters: [APIParameter("name", in: .path, schema: #"{"type": "string"}"#)],
            responses: [
                APIResponse(
                    200, "The file",
                    content: [
                        MediaType("text/css", .inline(#"{"type": "string"}"#)),
                        MediaType("text/javascript", .inline(#"{"type": "string"}"#)),
                    ]),
                .error(404, "No such asset"),
            ]),
        APIRoute(
            .health, .get, "/health", summary: "Liveness",
            responses: [
                .ok(
                    "Alive",
                    .inline(#"{"type": "object", "properties": {"status": {"type": "string", "const": "healthy"}}}"#))
            ]),
        APIRoute(
            .ready, .get, "/ready", summary: "Readiness",
            description:
                "200 once the index and database are open and answer, with how far this replica's index lags the "
                + "store's change feed; else 503.",
            responses: [.ok("Ready", .schema("Readiness")), .error(503, "Not ready")]),
        APIRoute(
            .metrics, .get, "/metrics", summary: "Prometheus metrics",
            responses: [
                APIResponse(
                    200, "Text exposition format", content: [MediaType("text/plain", .inline(#"{"type": "string"}"#))])
            ]),
        APIRoute(
            .openAPI, .get, "/openapi.json", summary: "This document",
            responses: [.ok("OpenAPI 3.1", .inline(#"{"type": "object"}"#))]),
        APIRoute(.docs, .get, "/docs", summary: "API documentation page", responses: [.page]),
        APIRoute(
            .query, .post, "/api/search/query", access: .searchRateLimited, tag: "search",
            summary: "Answer a question with citations",
            description: """
                Retrieves passages and answers from them with the configured model, or extractively without one or \
                when it fails (mode "extractive", still 200). With stream=true or Accept: text/event-stream the \
                answer is server-sent events: `citations` ({citations, retrieval_ms}) first, then `delta` ({text}) \
                as the answer is written, then `done` ({answer, mode, grounded, unsupported_sentences, \
                cited_sources, timings, fallback_reason}); `error` ({detail}) if it breaks off. Rate-limited per \
                client address.
                """,
            requestBody: .json("QueryRequest"),
            responses: [
                APIResponse(
                    200, "The answer",
                    content: [
                        MediaType("application/json", .schema("QueryResponse")),
                        MediaType(
                            "text/event-stream", .inline(#"{"type": "string"}"#),
                            events: [
                                ("citations", "CitationsEvent"), ("delta", "DeltaEvent"), ("done", "AnswerSummary"),
                                ("error", "Error"),
                            ]),
                    ]),
                .malformedBody, .tooLarge, .unsupportedMediaType, .invalidField, .unavailable,
            ]),
        APIRoute(
            .retrieve, .post, "/api/search/retrieve", access: .searchRateLimited, tag: "search",
            summary: "Retrieve passages (no LLM)", description: "Rate-limited per client address.",
            requestBody: .json("RetrieveRequest"),
            responses: [
                .ok("Best passages first", .schema("RetrieveResponse")),
                .malformedBody, .tooLarge, .unsupportedMediaType, .invalidField, .unavailable,
            ]),
        APIRoute(
            .login, .post, "/api/auth/login", tag: "auth", summary: "Log in",
            description: """
                OAuth2 password form or JSON. LOGIN_RATE_LIMIT_PER_MINUTE requests per client address; 5 failures \
                for an account from one address in 15 minutes, then a doubling back-off, and 100 per account from \
                all addresses, give 429 with Retry-After; 503 with Retry-After when too many password hashes wait. \
                The token response is not cacheable (Cache-Control: no-store).
                """,
            requestBody: APIRequestBody(content: [
                MediaType("application/json", .schema("LoginRequest")),
                MediaType("application/x-www-form-urlencoded", .schema("LoginRequest")),
            ]),
            responses: [
                .ok("A bearer token (HS256 JWT)", .schema("Token")),
                .error(401, "Incorrect username or password"),
                .malformedBody, .tooLarge, .unsupportedMediaType, .invalidField, .rateLimited,
                .error(503, "Too many logins waiting for a password hash; see Retry-After"),
            ]),
        APIRoute(
            .me, .get, "/api/auth/me", access: .signedIn, tag: "auth", summary: "The logged-in user",
            responses: [.ok("The user", .schema("Me"))]),
        APIRoute(
            .ingestText, .post, "/api/content/ingest", access: .admin, tag: "content",
            summary: "Ingest a text document", requestBody: .json("IngestRequest"),
            responses: [
                APIResponse(201, "Ingested", content: [.json("IngestResponse")]),
                .malformedBody, .tooLarge, .unsupportedMediaType, .invalidField, .conflict, .unavailable,
            ]),
        APIRoute(
            .upload, .post, "/api/content/upload", access: .admin, tag: "content",
            summary: "Upload a file (PDF, HTML, Markdown, text, JSON)",
            requestBody: APIRequestBody(content: [MediaType("multipart/form-data", .schema("UploadForm"))]),
            responses: [
                APIResponse(201, "Ingested", content: [.json("IngestResponse")]),
                .malformedBody, .tooLarge, .unsupportedMediaType, .invalidField, .conflict, .unavailable,
            ]),
        APIRoute(
            .listDocuments, .get, "/api/admin/documents", access: .admin, tag: "admin", summary: "List documents",
            parameters: [
                .pageLimit, .pageOffset,
            ],
            responses: [.ok("Most recently updated first", .schema("DocumentList")), .invalidField]),
        APIRoute(
            .getDocument, .get, "/api/admin/documents/{id}", access: .admin, tag: "admin",
            summary: "A document with its chunks", parameters: [.documentID],
            responses: [.ok("The document", .schema("DocumentDetail")), .noSuchDocument, .invalidField]),
        APIRoute(
            .deleteDocument, .delete, "/api/admin/documents/{id}", access: .admin, tag: "admin",
            summary: "Delete a document", parameters: [.documentID],
            responses: [.ok("Deleted", .schema("DeleteResponse")), .noSuchDocument, .invalidField, .unavailable]),
        APIRoute(
            .adminHealth, .get, "/api/admin/health", access: .admin, tag: "admin",
            summary: "Component health",
            responses: [.ok("Database, index, embedding model, cache, Qdrant and LLM status", .schema("AdminHealth"))]),
        APIRoute(
            .listUsers, .get, "/api/admin/users", access: .admin, tag: "admin", summary: "List users",
            responses: [.ok("Every user, by name", .schema("UserList"))]),
        APIRoute(
            .createUser, .post, "/api/admin/users", access: .admin, tag: "admin", summary: "Create a user",
            description:
                "A user who can sign in (role viewer unless given); the password is at least "
                + "\(PasswordPolicy.minimumCharacters) characters. 409 when the name is taken.",
            requestBody: .json("NewUserRequest"),
            responses: [
                APIResponse(201, "The user", content: [.json("User")]), .invalidField,
                .error(409, "The username is taken"), .error(503, "Too many password hashes in progress"),
            ]),
        APIRoute(
            .updateUser, .put, "/api/admin/users/{id}", access: .admin, tag: "admin",
            summary: "Change a user's password, role or status",
            description:
                "A new password or enabling the account again ends the user's earlier sessions; disabling it "
                + "refuses its tokens at once. An admin cannot disable or demote their own account (409).",
            parameters: [APIParameter("id", in: .path, schema: #"{"type": "integer", "minimum": 1}"#)],
            requestBody: .json("UserChangeRequest"),
            responses: [
                .ok("The user as it now is", .schema("User")), .invalidField,
                .error(404, "No such user"), .error(409, "The change would disable or demote the caller"),
                .error(503, "Too many password hashes in progress"),
            ]),
        APIRoute(
            .listOrigins, .get, "/api/admin/origins", access: .admin, tag: "origins",
            summary: "List the web origins the scheduler fetches",
            responses: [.ok("Every origin, by id", .schema("OriginList"))]),
        APIRoute(
            .createOrigin, .post, "/api/admin/origins", access: .admin, tag: "origins",
            summary: "Register a web origin (due at once)",
            description: "`name` and `url` are required; path patterns are regular expressions, checked here.",
            requestBody: .json("OriginRequest"),
            responses: [
                APIResponse(201, "Created", content: [.json("Origin")]),
                .malformedBody, .tooLarge, .unsupportedMediaType, .conflict, .invalidField,
            ]),
        APIRoute(
            .updateOrigin, .put, "/api/admin/origins/{id}", access: .admin, tag: "origins",
            summary: "Change an origin's settings",
            description: "Fields left out keep their value; `null` clears a nullable one. The run state stays.",
            parameters: [.originID], requestBody: .json("OriginRequest"),
            responses: [
                .ok("The origin", .schema("Origin")), .malformedBody, .tooLarge, .unsupportedMediaType, .noSuchOrigin,
                .conflict, .invalidField,
            ]),
        APIRoute(
            .deleteOrigin, .delete, "/api/admin/origins/{id}", access: .admin, tag: "origins",
            summary: "Delete an origin", description: "Its documents stay unless delete_documents=true.",
            parameters: [
                .originID,
                APIParameter("delete_documents", in: .query, schema: #"{"type": "boolean", "default": false}"#),
            ],
            responses: [.ok("Deleted", .schema("DeletedOrigin")), .noSuchOrigin, .invalidField]),
        APIRoute(
            .originStatus, .get, "/api/admin/origins/{id}/status", access: .admin, tag: "origins",
            summary: "An origin's last and next run", parameters: [.originID],
            responses: [.ok("Its schedule", .schema("OriginStatus")), .noSuchOrigin, .invalidField]),
        APIRoute(
            .crawlOrigin, .post, "/api/admin/origins/{id}/crawl", access: .admin, tag: "origins",
            summary: "Crawl an origin now",
            description: "Answers at once with the job's id; the crawl runs in the background (follow it at "
                + "/api/admin/dashboard/jobs/{job_id}). 409 while another crawl of the origin runs.",
            parameters: [.originID],
            responses: [
                APIResponse(202, "Queued", content: [.json("CrawlAccepted")]), .noSuchOrigin, .conflict, .invalidField,
            ]),
        APIRoute(
            .listJobs, .get, "/api/admin/dashboard/jobs", access: .admin, tag: "origins", summary: "Crawl jobs",
            parameters: [
                APIParameter("origin_id", in: .query, schema: #"{"type": "integer", "minimum": 1}"#),
                .pageLimit, .pageOffset,
            ],
            responses: [.ok("Newest first", .schema("CrawlJobList")), .invalidField]),
        APIRoute(
            .getJob, .get, "/api/admin/dashboard/jobs/{job_id}", access: .admin, tag: "origins",
            summary: "A crawl job: status, counts, errors by class",
            parameters: [APIParameter("job_id", in: .path, schema: #"{"type": "string"}"#)],
            responses: [.ok("The job", .schema("CrawlJob")), .noSuchJob, .invalidField]),
        APIRoute(
            .dashboardOverview, .get, "/api/admin/dashboard/overview", access: .admin, tag: "origins",
            summary: "Origins, documents and the last day's crawls at a glance",
            responses: [.ok("The overview", .schema("DashboardOverview"))]),
        APIRoute(
            .dashboardTimeseries, .get, "/api/admin/dashboard/overview/timeseries", access: .admin, tag: "origins",
            summary: "Crawl jobs and their counts per UTC day, today included",
            parameters: [
                APIParameter(
                    "days", in: .query,
                    schema: """
                        {"type": "integer", "minimum": \(CrawlJobRoutes.seriesDays.lowerBound), \
                        "maximum": \(CrawlJobRoutes.seriesDays.upperBound), "default": 7}
                        """)
            ],
            responses: [.ok("Oldest day first", .schema("DashboardTimeseries")), .invalidField]),
        APIRoute(
            .dashboardOrigins, .get, "/api/admin/dashboard/origins", access: .admin, tag: "origins",
            summary: "Origins with the figures of their recent crawls", parameters: [.pageLimit, .pageOffset],
            responses: [.ok("By id; total counted before paging", .schema("DashboardOriginList")), .invalidField]),
        APIRoute(
            .dashboardOrigin, .get, "/api/admin/dashboard/origins/{id}", access: .admin, tag: "origins",
            summary: "An origin, its figures and its recent jobs", parameters: [.originID],
            responses: [.ok("The origin", .schema("DashboardOrigin")), .noSuchOrigin, .invalidField]),
        APIRoute(
            .dashboardOriginConfig, .get, "/api/admin/dashboard/origins/{id}/config", access: .admin, tag: "origins",
            summary: "How the origin is crawled: each value and whether the origin or the platform settings give it",
            parameters: [.originID],
            responses: [.ok("The configuration", .schema("DashboardOriginConfig")), .noSuchOrigin, .invalidField]),
        APIRoute(
            .dashboardDocuments, .get, "/api/admin/dashboard/documents", access: .admin, tag: "origins",
            summary: "Documents, with the origin each was crawled for",
            parameters: [
                APIParameter("origin_id", in: .query, schema: #"{"type": "integer", "minimum": 1}"#),
                .pageLimit, .pageOffset,
            ],
            responses: [.ok("Total counted before paging", .schema("DashboardDocumentList")), .invalidField]),
        APIRoute(
            .dashboardDocument, .get, "/api/admin/dashboard/documents/{id}", access: .admin, tag: "origins",
            summary: "A document, its chunk count and what the crawler kept of its page",
            parameters: [.documentID],
            responses: [.ok("The document", .schema("DashboardDocument")), .noSuchDocument, .invalidField]),
        APIRoute(
            .dashboardSettings, .get, "/api/admin/dashboard/settings", access: .admin, tag: "origins",
            summary: "The settings an admin can change at run time",
            responses: [.ok("Effective values and where each comes from", .schema("DashboardSettings"))]),
        APIRoute(
            .updateDashboardSettings, .put, "/api/admin/dashboard/settings", access: .admin, tag: "origins",
            summary: "Change settings for every replica",
            description: "Keys left out keep their value; null clears a stored value (the environment's applies "
                + "again). Stored in the database, read by every replica before each crawl and live web fallback.",
            requestBody: .json("DashboardSettingsRequest"),
            responses: [
                .ok("The settings after the change", .schema("DashboardSettings")), .malformedBody, .tooLarge,
                .unsupportedMediaType, .invalidField,
            ]),
    ]

    /// The route whose method and path template match a request; nil when none does.
    static func route(method: HTTPRequest.Method, path: String) -> APIRoute? {
        let segments = pathSegments(path)
        return routes.first { $0.method == method && $0.matches(segments) }
    }

    /// The methods of the routes whose template matches `path`, in declaration order; empty when none does.
    static func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = pathSegments(path)
        var methods: [HTTPRequest.Method] = []
        for route in routes where route.matches(segments) && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }

    static func pathSegments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
