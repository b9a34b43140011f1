import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import APIServer

/// Real responses of every route, success and error, checked against the published `/openapi.json`; and the
/// check itself shown to catch drift. (Every other API test's responses pass the same check through `send`.)
@Suite struct ContractValidationTests {
    /// A request of the tour: method, path, body and its type, whose token.
    struct Call {
        var method: HTTPRequest.Method
        var path: String
        var body: String? = nil
        var contentType: String? = "application/json"
        var token: String? = nil
        var accept: String? = nil
    }

    static let boundary = "contract-boundary"
    static let upload = """
        --\(boundary)\r
        Content-Disposition: form-data; name="document_id"\r
        \r
        contract-upload\r
        --\(boundary)\r
        Content-Disposition: form-data; name="file"; filename="rules.md"\r
        Content-Type: text/markdown\r
        \r
        # Wombat rules\n\nEvery wombat registry shall publish a yearly report.\n\r
        --\(boundary)--\r

        """

    /// Each route at least once with a success and, where a caller can cause one, an error.
    static let calls: [Call] = [
        Call(method: .get, path: "/"),
        Call(method: .get, path: "/health"),
        Call(method: .get, path: "/ready"),
        Call(method: .get, path: "/metrics"),
        Call(method: .get, path: "/openapi.json"),
        Call(method: .get, path: "/docs"),
        Call(method: .get, path: "/admin"),
        Call(method: .get, path: "/documents"),
        Call(method: .get, path: "/documents?offset=-1"),
        Call(method: .get, path: "/documents/\(TestLibrary.eoDocumentID)"),
        Call(method: .get, path: "/documents/no-such-document"),
        Call(method: .get, path: "/documents/\(TestLibrary.eoDocumentID)/original"),
        Call(method: .get, path: "/documents/no-such-document/original"),
        Call(method: .get, path: WebAssets.path("ask.js")),
        Call(method: .get, path: WebAssets.path("site.css")),
        Call(method: .get, path: "/assets/nothing.js"),
        Call(method: .post, path: "/api/search/query", body: #"{"question": "What does the order revoke?"}"#),
        Call(
            method: .post, path: "/api/search/query", body: #"{"question": "What does the order revoke?"}"#,
            accept: "text/event-stream"),
        Call(method: .post, path: "/api/search/query", body: #"{"question": "  "}"#),
        Call(method: .post, path: "/api/search/retrieve", body: #"{"query": "action plan", "top_k": 2}"#),
        Call(method: .post, path: "/api/search/retrieve", body: "{"),
        Call(method: .post, path: "/api/search/retrieve", body: "query=x", contentType: "text/plain"),
        Call(method: .post, path: "/api/search/retrieve", body: #"{"query": "x", "top_k": 0}"#),
        Call(
            method: .post, path: "/api/auth/login",
            body: #"{"username": "admin-test", "password": "\#(TestLibrary.password)"}"#),
        Call(
            method: .post, path: "/api/auth/login", body: "username=admin-test&password=wrong",
            contentType: "application/x-www-form-urlencoded"),
        Call(method: .post, path: "/api/auth/login", body: #"{"username": "", "password": "x"}"#),
        Call(method: .get, path: "/api/auth/me", token: "viewer"),
        Call(method: .get, path: "/api/auth/me", token: "forged"),
        Call(
            method: .post, path: "/api/content/ingest",
            body: #"{"title": "Wombat code", "source": "Tests", "content": "Wombats shall be counted.", "#
                + #""document_id": "contract-ingest", "metadata": {"year": 2026}}"#,
            token: "admin"),
        Call(
            method: .post, path: "/api/content/ingest", body: #"{"title": "x", "source": "y", "content": "z"}"#,
            token: "viewer"),
        Call(method: .post, path: "/api/content/ingest", body: #"{"title": "x"}"#, token: "admin"),
        Call(
            method: .post, path: "/api/content/upload", body: upload,
            contentType: "multipart/form-data; boundary=\(boundary)", token: "admin"),
        Call(method: .post, path: "/api/content/upload", body: "{}", token: "admin"),
        Call(method: .get, path: "/api/admin/documents?limit=2", token: "admin"),
        Call(method: .get, path: "/api/admin/documents?limit=0", token: "admin"),
        Call(method: .get, path: "/api/admin/documents"),
        Call(method: .get, path: "/api/admin/documents/contract-ingest", token: "admin"),
        Call(method: .get, path: "/api/admin/documents/no-such-document", token: "admin"),
        Call(method: .delete, path: "/api/admin/documents/contract-upload", token: "admin"),
        Call(method: .delete, path: "/api/admin/documents/contract-upload", token: "admin"),
        Call(method: .get, path: "/api/admin/users", token: "admin"),
        Call(method: .get, path: "/api/admin/users", token: "viewer"),
        Call(
            method: .post, path: "/api/admin/users",
            body: #"{"username": "contract-user", "password": "contract user password"}"#, token: "admin"),
        Call(
            method: .post, path: "/api/admin/users", body: #"{"username": "contract-user", "password": "x"}"#,
            token: "admin"),
        Call(method: .put, path: "/api/admin/users/1", body: #"{"role": "admin"}"#, token: "admin"),
        Call(method: .put, path: "/api/admin/users/99999", body: #"{"role": "admin"}"#, token: "admin"),
        Call(method: .get, path: "/api/admin/health", token: "admin"),
        Call(method: .get, path: "/api/admin/health", token: "viewer"),
        Call(method: .put, path: "/api/admin/health", token: "admin"),
        Call(
            method: .post, path: "/api/admin/origins",
            body:
                #"{"name": "EU AI Act", "url": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj", "topic_tags": ["ai"]}"#,
            token: "admin"),
        Call(
            method: .post, path: "/api/admin/origins", body: #"{"name": "x", "url": "ftp://x.example/"}"#,
            token: "admin"),
        Call(method: .get, path: "/api/admin/origins", token: "admin"),
        Call(method: .get, path: "/api/admin/origins", token: "viewer"),
        Call(
            method: .put, path: "/api/admin/origins/1", body: #"{"max_pages": 10, "sitemap_url": null}"#, token: "admin"
        ),
        Call(method: .put, path: "/api/admin/origins/999", body: #"{"enabled": false}"#, token: "admin"),
        Call(method: .get, path: "/api/admin/origins/1/status", token: "admin"),
        Call(method: .get, path: "/api/admin/origins/abc/status", token: "admin"),
        Call(method: .delete, path: "/api/admin/origins/1", token: "admin"),
        Call(method: .delete, path: "/api/admin/origins/1", token: "admin"),
        // A crawl the SSRF guard stops at once (loopback), so the tour never leaves the machine.
        Call(
            method: .post, path: "/api/admin/origins", body: #"{"name": "Loopback", "url": "http://127.0.0.1:9/"}"#,
            token: "admin"),
        Call(method: .post, path: "/api/admin/origins/2/crawl", token: "admin"),
        Call(method: .post, path: "/api/admin/origins/999/crawl", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/jobs?origin_id=2", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/jobs?limit=0", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/jobs/{last-job}", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/jobs/0000", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/overview", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/overview", token: "viewer"),
        Call(method: .get, path: "/api/admin/dashboard/overview/timeseries?days=3", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/overview/timeseries?days=0", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/origins?limit=5", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/origins?limit=0", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/origins/2", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/origins/999", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/origins/2/config", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/origins/abc/config", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/documents?limit=2", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/documents?origin_id=0", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/documents/contract-ingest", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/documents/no-such-document", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/settings", token: "admin"),
        Call(method: .get, path: "/api/admin/dashboard/settings", token: "viewer"),
        Call(
            method: .put, path: "/api/admin/dashboard/settings",
            body: #"{"crawl_max_depth": 3, "enable_topic_filtering": true, "crawl_excluded_paths": ["/private"]}"#,
            token: "admin"),
        Call(method: .put, path: "/api/admin/dashboard/settings", body: #"{"crawl_max_depth": 99}"#, token: "admin"),
        Call(method: .get, path: "/api/no-such-route"),
    ]

    @Test func everyRouteAnswersAsPublished() async throws {
        let library = try await TestLibrary.make()
        let tokens = [
            "viewer": try await library.token(for: library.viewer),
            "admin": try await library.token(for: library.admin),
            "forged": try await library.token(for: library.admin, secret: "another-key-" + UUID().uuidString),
        ]
        let (successes, errors) = try await library.application().test(.router) { client in
            var successes = Set<String>()
            var errors = Set<String>()
            var lastJob = ""
            for var call in Self.calls {
                call.path = call.path.replacingOccurrences(of: "{last-job}", with: lastJob)
                var headers: HTTPFields = [:]
                if let accept = call.accept { headers[.accept] = accept }
                // `send` checks the response against the document; a problem fails this test there.
                let response = try await client.send(
                    call.method, call.path, body: call.body, contentType: call.contentType,
                    token: call.token.flatMap { tokens[$0] }, headers: headers)
                if let object = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any],
                    let job = object["job_id"] as? String
                {
                    lastJob = job
                }
                guard let operation = PublishedContract.operation(method: call.method, uri: call.path) else {
                    continue
                }
                if (200..<300).contains(response.status.code) {
                    successes.insert(operation)
                } else {
                    errors.insert(operation)
                }
            }
            return (successes, errors)
        }
        for operation in APIOperation.allCases {
            #expect(successes.contains(operation.rawValue), "no success seen for \(operation.rawValue)")
        }
        // The pages have no error a caller can cause; every other route has.
        let pages: Set<APIOperation> = [.askPage, .adminPage, .health, .ready, .metrics, .openAPI, .docs]
        for operation in APIOperation.allCases where !pages.contains(operation) {
            #expect(errors.contains(operation.rawValue), "no error seen for \(operation.rawValue)")
        }
    }

    /// Responses that break the document, each of which the check must report.
    @Test func theCheckFindsDrift() {
        func problems(
            _ method: HTTPRequest.Method, _ path: String, _ status: Int, _ body: String,
            type: String = "application/json"
        ) -> [String] {
            PublishedContract.problems(
                method: method, uri: path, status: status, contentType: type, body: Data(body.utf8))
        }
        // Valid bodies pass, so each failure below comes from its one change to one of them.
        let me = #"{"id": 1, "username": "a", "email": null, "role": "admin", "is_active": true}"#
        let citation = #"""
            {"content": "c", "document_title": "t", "document_source": "s", "document_url": null, "chunk_index": 0, \#
            "chunk_id": "x#0", "document_id": "x", "section": null, "page_start": 1, "page_end": 2, "score": 0.5}
            """#
        let document = #"""
            {"document_id": "x", "title": "t", "source": "s", "url": null, "doc_type": "text", "content_hash": "h", \#
            "metadata": {}, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "chunks": []}
            """#
        #expect(problems(.get, "/api/auth/me", 200, me).isEmpty)
        #expect(problems(.post, "/api/search/retrieve", 200, #"{"results": [\#(citation)]}"#).isEmpty)
        #expect(problems(.get, "/api/admin/documents/x", 200, document).isEmpty)
        let stream = "event: delta\ndata: {\"text\": \"Art\"}\n\nevent: error\ndata: {\"detail\": \"x\"}\n\n"
        #expect(problems(.post, "/api/search/query", 200, stream, type: "text/event-stream").isEmpty)

        func changed(_ body: String, _ old: String, _ new: String) -> String {
            body.replacingOccurrences(of: old, with: new)
        }
        let retrieve = { (body: String) in problems(.post, "/api/search/retrieve", 200, #"{"results": [\#(body)]}"#) }
        // What changed, what the check says, and the part of its message that shows it saw that change.
        let drift: [(String, [String], String)] = [
            ("an undeclared field", problems(.get, "/api/auth/me", 200, changed(me, "{", #"{"x": 1, "#)), "x is not"),
            (
                "a missing field", problems(.get, "/api/auth/me", 200, changed(me, #""id": 1, "#, "")),
                "field id is missing"
            ),
            ("a wrong type", retrieve(changed(citation, "0.5", #""high""#)), "score: \"high\""),
            ("a boolean for a number", retrieve(changed(citation, "0.5", "true")), "score: true"),
            ("a fraction for an integer", problems(.get, "/api/auth/me", 200, changed(me, "1,", "1.5,")), "id: 1.5"),
            ("a value outside an enum", problems(.get, "/api/auth/me", 200, changed(me, "admin", "owner")), "one of"),
            ("an error without detail", problems(.post, "/api/search/retrieve", 422, #"{"message": "bad"}"#), "detail"),
            ("an undeclared status", problems(.post, "/api/search/retrieve", 418, #"{"detail": "x"}"#), "418 is not"),
            ("an undeclared media type", problems(.get, "/health", 200, "healthy", type: "text/plain"), "text/plain"),
            (
                "a field beside allOf's",
                problems(.get, "/api/admin/documents/x", 200, changed(document, "{\"doc", #"{"owner": 1, "doc"#)),
                "owner is not"
            ),
            ("a route that is not published", problems(.get, "/api/secret", 200, "{}"), "no route"),
            ("a body that is not JSON", problems(.get, "/health", 200, "{"), "not JSON"),
            (
                "a stream event the document does not name",
                problems(.post, "/api/search/query", 200, "event: progress\ndata: {}\n\n", type: "text/event-stream"),
                "progress"
            ),
            (
                "a stream event whose data breaks its schema",
                problems(
                    .post, "/api/search/query", 200, "event: delta\ndata: {\"text\": 3}\n\n", type: "text/event-stream"),
                "text: 3.0"
            ),
        ]
        for (name, found, expected) in drift {
            #expect(found.contains { $0.contains(expected) }, "the check missed \(name): \(found)")
        }
    }

    /// The document's own literals parse, every `$ref` resolves, and the request limits it quotes are the ones
    /// the decoders enforce.
    @Test func theDocumentIsWhole() throws {
        let document = PublishedContract.document
        #expect(document["openapi"] == .string("3.1.0"))
        var references: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let object):
                if let reference = object["$ref"]?.string { references.append(reference) }
                object.values.forEach(collect)
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(document)
        #expect(references.count > 20)
        for reference in Set(references) {
            #expect(
                PublishedContract.validator.resolved(.object(["$ref": .string(reference)])) != .null, "\(reference)")
        }
        let question = document["components"]?["schemas"]?["QueryRequest"]?["properties"]?["question"]
        #expect(question?["maxLength"] == .number(Double(SearchLimits.maxQuestionCharacters)))
        let limit = document["paths"]?["/api/admin/documents"]?["get"]?["parameters"]
        #expect(limit.map { "\($0)".contains("\(Double(AdminRoutes.pageSizes.upperBound))") } == true)
    }
}
