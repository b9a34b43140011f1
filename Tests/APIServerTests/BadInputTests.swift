import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import APIServer

/// One malformed or hostile request and the status it must get.
struct BadRequest: Sendable, CustomTestStringConvertible {
    enum Caller: Sendable { case anonymous, viewer, admin }

    var name: String
    var method: HTTPRequest.Method
    var uri: String
    var contentType: String?
    var body: Data?
    var caller: Caller
    var status: Int

    var testDescription: String { "\(name) -> \(status)" }

    init(
        _ name: String, _ method: HTTPRequest.Method = .post, _ uri: String = "/api/search/query",
        json: String? = nil, bytes: Data? = nil, contentType: String? = "application/json",
        as caller: Caller = .anonymous,
        _ status: Int
    ) {
        self.name = name
        self.method = method
        self.uri = uri
        self.contentType = contentType
        self.body = bytes ?? json.map { Data($0.utf8) }
        self.caller = caller
        self.status = status
    }

    static let multipart = "multipart/form-data; boundary=XyZ"

    static let all: [BadRequest] = [
        // Search: malformed bodies (400).
        BadRequest("truncated JSON", json: #"{"question": "#, 400),
        BadRequest("empty body", json: "", 400),
        BadRequest("not JSON", json: "question=what", 400),
        BadRequest("invalid UTF-8", bytes: Data([0x7B, 0x22, 0x71, 0xFF, 0xFE, 0x22, 0x7D]), 400),
        BadRequest("nesting bomb", json: String(repeating: "[", count: 100_000), 400),
        // Search: JSON of the wrong shape (422).
        BadRequest("array body", json: "[]", 422),
        BadRequest("string body", json: #""what is AI?""#, 422),
        BadRequest("null body", json: "null", 422),
        BadRequest("missing question", json: "{}", 422),
        BadRequest("empty question", json: #"{"question": ""}"#, 422),
        BadRequest("blank question", json: #"{"question": "  \n\t "}"#, 422),
        BadRequest(
            "question over 2000 characters", json: #"{"question": "\#(String(repeating: "a", count: 2001))"}"#, 422),
        BadRequest("numeric question", json: #"{"question": 42}"#, 422),
        BadRequest("null question", json: #"{"question": null}"#, 422),
        BadRequest("top_k zero", json: #"{"question": "q", "top_k": 0}"#, 422),
        BadRequest("top_k 51", json: #"{"question": "q", "top_k": 51}"#, 422),
        BadRequest("negative top_k", json: #"{"question": "q", "top_k": -3}"#, 422),
        BadRequest("top_k as string", json: #"{"question": "q", "top_k": "5"}"#, 422),
        BadRequest("fractional top_k", json: #"{"question": "q", "top_k": 2.5}"#, 422),
        BadRequest("huge top_k", json: #"{"question": "q", "top_k": 1e300}"#, 422),
        BadRequest("unknown mode", json: #"{"question": "q", "mode": "fuzzy"}"#, 422),
        BadRequest("numeric mode", json: #"{"question": "q", "mode": 1}"#, 422),
        BadRequest("stream as string", json: #"{"question": "q", "stream": "yes"}"#, 422),
        BadRequest("unknown field", json: #"{"question": "q", "temperature": 2}"#, 422),
        BadRequest("filters not an object", json: #"{"question": "q", "filters": "Article 6"}"#, 422),
        BadRequest("unknown filter", json: #"{"question": "q", "filters": {"year": 2024}}"#, 422),
        BadRequest("document_ids not a list", json: #"{"question": "q", "filters": {"document_ids": "a"}}"#, 422),
        BadRequest("sources of numbers", json: #"{"question": "q", "filters": {"sources": [1, 2]}}"#, 422),
        BadRequest("empty section filter", json: #"{"question": "q", "filters": {"section": " "}}"#, 422),
        BadRequest(
            "101 document ids",
            json:
                #"{"question": "q", "filters": {"document_ids": [\#((0...100).map { "\"d\($0)\"" }.joined(separator: ","))]}}"#,
            422),
        // Search: lengths count Unicode scalars, not grapheme clusters; control characters are refused.
        BadRequest("NUL in the question", json: #"{"question": "what\u0000is high-risk"}"#, 422),
        BadRequest("escape sequence in the question", json: #"{"question": "what \u001b[31mis"}"#, 422),
        BadRequest(
            "one grapheme of 400,000 combining accents",
            json: #"{"question": "a\#(String(repeating: "\u{301}", count: 400_000))"}"#, 422),
        BadRequest(
            "one ZWJ emoji chain of 3,000 scalars",
            json: #"{"question": "\#(String(repeating: "\u{1F468}\u{200D}", count: 1500))"}"#, 422),
        BadRequest(
            "one Hangul jamo run of 3,000 scalars",
            json: #"{"question": "\#(String(repeating: "\u{1100}", count: 3000))"}"#,
            422),
        BadRequest("NUL in a filter value", json: #"{"question": "q", "filters": {"sources": ["a\u0000b"]}}"#, 422),
        BadRequest(
            "one-grapheme filter value of 600 scalars",
            json: #"{"question": "q", "filters": {"section": "A\#(String(repeating: "\u{301}", count: 600))"}}"#, 422),
        BadRequest(
            "NUL in a retrieve query", .post, "/api/search/retrieve", json: #"{"query": "a\u0000b"}"#, 422),
        // Search: media type and size.
        BadRequest("text/plain body", json: #"{"question": "q"}"#, contentType: "text/plain", 415),
        BadRequest("no content type", json: #"{"question": "q"}"#, contentType: nil, 415),
        BadRequest(
            "form body to a JSON route", json: "question=q", contentType: "application/x-www-form-urlencoded", 415),
        BadRequest("JSON over 1 MB", json: #"{"question": "\#(String(repeating: "x", count: 1 << 20))"}"#, 413),
        // Retrieve.
        BadRequest("retrieve without query", .post, "/api/search/retrieve", json: #"{"question": "q"}"#, 422),
        BadRequest("retrieve top_k 100", .post, "/api/search/retrieve", json: #"{"query": "q", "top_k": 100}"#, 422),
        // Login.
        BadRequest("login as text", .post, "/api/auth/login", json: "admin:secret", contentType: "text/plain", 415),
        BadRequest("login without password", .post, "/api/auth/login", json: #"{"username": "admin-test"}"#, 422),
        BadRequest(
            "login form without username", .post, "/api/auth/login", json: "password=x",
            contentType: "application/x-www-form-urlencoded", 422),
        BadRequest(
            "login with empty username", .post, "/api/auth/login", json: #"{"username": "", "password": "x"}"#, 422),
        BadRequest(
            "login with bad percent-encoding", .post, "/api/auth/login", json: "username=%ZZ&password=x",
            contentType: "application/x-www-form-urlencoded", 400),
        BadRequest(
            "login with a 151-character username", .post, "/api/auth/login",
            json: #"{"username": "\#(String(repeating: "u", count: 151))", "password": "x"}"#, 422),
        BadRequest(
            "login with numeric password", .post, "/api/auth/login", json: #"{"username": "a", "password": 1}"#, 422),
        BadRequest(
            "login with a NUL-suffixed username", .post, "/api/auth/login",
            json: #"{"username": "admin-test\u0000junk", "password": "correct horse battery staple"}"#, 422),
        BadRequest(
            "login with a newline in the username", .post, "/api/auth/login",
            json: #"{"username": "admin-test\nforged log line", "password": "x"}"#, 422),
        BadRequest(
            "login with a one-grapheme 40 KB username", .post, "/api/auth/login",
            json: #"{"username": "u\#(String(repeating: "\u{301}", count: 20_000))", "password": "x"}"#, 422),
        BadRequest(
            "login with a NUL in the password", .post, "/api/auth/login",
            json: #"{"username": "admin-test", "password": "a\u0000b"}"#, 422),
        // Content (as admin).
        BadRequest(
            "ingest without content", .post, "/api/content/ingest", json: #"{"title": "t", "source": "s"}"#, as: .admin,
            422),
        BadRequest(
            "ingest with an ftp URL", .post, "/api/content/ingest",
            json: #"{"title": "t", "source": "s", "content": "c", "url": "ftp://x/y"}"#, as: .admin, 422),
        BadRequest(
            "ingest with a path-like document id", .post, "/api/content/ingest",
            json: #"{"title": "t", "source": "s", "content": "c", "document_id": "../../etc/passwd"}"#, as: .admin, 422),
        BadRequest(
            "ingest with nested metadata", .post, "/api/content/ingest",
            json: #"{"title": "t", "source": "s", "content": "c", "metadata": {"a": {"b": 1}}}"#, as: .admin, 422),
        BadRequest(
            "ingest with an unknown field", .post, "/api/content/ingest",
            json: #"{"title": "t", "source": "s", "content": "c", "owner": "me"}"#, as: .admin, 422),
        BadRequest(
            "ingest with an empty title", .post, "/api/content/ingest",
            json: #"{"title": " ", "source": "s", "content": "c"}"#, as: .admin, 422),
        BadRequest(
            "ingest with a NUL in the title", .post, "/api/content/ingest",
            json: #"{"title": "t\u0000x", "source": "s", "content": "c"}"#, as: .admin, 422),
        BadRequest(
            "ingest with a control character in the source", .post, "/api/content/ingest",
            json: #"{"title": "t", "source": "s\u0007", "content": "c"}"#, as: .admin, 422),
        BadRequest(
            "ingest with a one-grapheme 600-scalar title", .post, "/api/content/ingest",
            json: #"{"title": "t\#(String(repeating: "\u{301}", count: 600))", "source": "s", "content": "c"}"#,
            as: .admin, 422),
        BadRequest(
            "ingest with a NUL in a metadata value", .post, "/api/content/ingest",
            json: #"{"title": "t", "source": "s", "content": "c", "metadata": {"k": "v\u0000"}}"#, as: .admin, 422),
        BadRequest(
            "ingest with a NUL in the content", .post, "/api/content/ingest",
            json: #"{"title": "t", "source": "s", "content": "c\u0000d"}"#, as: .admin, 422),
        // A NUL in a path id would be cut by SQLite: `us-eo-14179%00junk` must not name `us-eo-14179`.
        BadRequest(
            "document detail with a NUL in the id", .get, "/api/admin/documents/us-eo-14179%00junk", contentType: nil,
            as: .admin, 422),
        BadRequest(
            "document delete with a NUL in the id", .delete, "/api/admin/documents/us-eo-14179%00junk",
            contentType: nil, as: .admin, 422),
        BadRequest(
            "document detail with an escape in the id", .get, "/api/admin/documents/a%1B%5B2J", contentType: nil,
            as: .admin, 422),
        BadRequest("upload as JSON", .post, "/api/content/upload", json: "{}", as: .admin, 415),
        BadRequest(
            "upload without a file part", .post, "/api/content/upload",
            json: "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nT\r\n--XyZ--\r\n",
            contentType: multipart,
            as: .admin, 422),
        BadRequest(
            "unterminated multipart", .post, "/api/content/upload",
            json: "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nabc",
            contentType: multipart, as: .admin, 400),
        BadRequest(
            "binary upload", .post, "/api/content/upload",
            bytes: Data("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n".utf8)
                + Data([0, 1, 2, 0, 255, 254, 0, 7]) + Data("\r\n--XyZ--\r\n".utf8), contentType: multipart, as: .admin,
            422),
        BadRequest(
            "empty upload", .post, "/api/content/upload",
            json: "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n\r\n\r\n--XyZ--\r\n",
            contentType: multipart, as: .admin, 422),
        BadRequest(
            "upload over 50 MB", .post, "/api/content/upload", bytes: Data(count: (50 << 20) + 1),
            contentType: multipart, as: .admin, 413),
        // Admin listing and paths.
        BadRequest("limit zero", .get, "/api/admin/documents?limit=0", contentType: nil, as: .admin, 422),
        BadRequest("limit not a number", .get, "/api/admin/documents?limit=ten", contentType: nil, as: .admin, 422),
        BadRequest("negative offset", .get, "/api/admin/documents?offset=-1", contentType: nil, as: .admin, 422),
        BadRequest(
            "unknown document", .get, "/api/admin/documents/no-such-document", contentType: nil, as: .admin, 404),
        BadRequest("delete unknown document", .delete, "/api/admin/documents/nope", contentType: nil, as: .admin, 404),
        // Routing and permissions.
        BadRequest("GET on a POST route", .get, "/api/search/query", contentType: nil, 405),
        BadRequest("unknown route", .get, "/api/nothing", contentType: nil, 404),
        BadRequest("viewer ingesting", .post, "/api/content/ingest", json: "{}", as: .viewer, 403),
        BadRequest("anonymous ingesting", .post, "/api/content/ingest", json: "{}", 401),
        BadRequest("anonymous admin health", .get, "/api/admin/health", contentType: nil, 401),
    ]
}

@Suite(.serialized) struct BadInputTests {
    @Test func thereAreAtLeastFortyCases() {
        #expect(BadRequest.all.count >= 40)
    }

    @Test(arguments: BadRequest.all)
    func rejected(_ bad: BadRequest) async throws {
        let library = try await TestLibrary.shared()
        let token = try await Self.token(bad.caller, library)
        try await library.application().test(.router) { client in
            let response = try await Self.send(bad, token: token, client)
            #expect(
                response.status.code == bad.status, "\(bad.name): \(response.status.code) \(response.text.prefix(200))")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let detail = response.detail
            #expect(!detail.isEmpty)
            #expect(!detail.contains("Swift") && !detail.contains("DecodingError") && !detail.contains(".swift"))
            #expect(try await client.send(.get, "/health").status == .ok)
        }
    }

    /// The same requests over a real socket, one after another on one server, which must keep serving.
    @Test func liveServerSurvivesEveryBadRequest() async throws {
        let library = try await TestLibrary.shared()
        let admin = try await library.token(for: library.admin)
        let viewer = try await library.token(for: library.viewer)
        try await library.application().test(.live) { client in
            for bad in BadRequest.all {
                let token = bad.caller == .admin ? admin : bad.caller == .viewer ? viewer : nil
                let response = try await Self.send(bad, token: token, client)
                #expect(response.status.code == bad.status, "\(bad.name): \(response.status.code)")
            }
            let health = try await client.send(.get, "/health")
            #expect(health.status == .ok && health.json["status"] as? String == "healthy")
        }
    }

    static func token(_ caller: BadRequest.Caller, _ library: TestLibrary) async throws -> String? {
        switch caller {
        case .anonymous: return nil
        case .viewer: return try await library.token(for: library.viewer)
        case .admin: return try await library.token(for: library.admin)
        }
    }

    static func send(_ bad: BadRequest, token: String?, _ client: some TestClientProtocol) async throws -> TestResponse
    {
        var headers: HTTPFields = [:]
        if let contentType = bad.contentType { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            uri: bad.uri, method: bad.method, headers: headers, body: bad.body.map { ByteBuffer(bytes: $0) })
    }
}
