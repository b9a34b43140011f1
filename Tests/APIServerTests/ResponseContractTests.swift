import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import APIServer

/// The API's responses on the test corpus, compared with the ones recorded in `fixtures/api-responses.json`, so a
/// change meant to keep behaviour (a module re-cut, a new router) cannot change a status, a header that clients
/// read, a field or an error text unseen. Values that differ between runs (timings, scores, tokens, request ids)
/// are replaced by their type. A deliberate change re-records the file: `AIGOV_RECORD_RESPONSES=1 swift test
/// --filter ResponseContractTests` writes it (and fails, so that a recording never passes silently); review the
/// diff before committing it.
@Suite struct ResponseContractTests {
    static let file = TestLibrary.root.appendingPathComponent("fixtures/api-responses.json")

    /// One request of the contract: a name, the method, the path, a JSON body and whether to send a viewer's or
    /// an admin's token.
    struct Exchange {
        var name: String
        var method: HTTPRequest.Method
        var path: String
        var body: String? = nil
        var token: String? = nil
    }

    static let exchanges: [Exchange] = [
        Exchange(name: "health", method: .get, path: "/health"),
        Exchange(
            name: "retrieve", method: .post, path: "/api/search/retrieve",
            body: #"{"query": "What does the order revoke?", "top_k": 3}"#),
        Exchange(
            name: "retrieve lexical with a filter", method: .post, path: "/api/search/retrieve",
            body: #"{"query": "artificial intelligence action plan", "top_k": 2, "mode": "lexical", "#
                + #""filters": {"document_ids": ["us-eo-14179"]}}"#),
        Exchange(
            name: "query, extractive", method: .post, path: "/api/search/query",
            body: #"{"question": "What policy does the order set?", "top_k": 3}"#),
        Exchange(
            name: "retrieve, unknown field", method: .post, path: "/api/search/retrieve",
            body: #"{"query": "x", "topk": 3}"#),
        Exchange(
            name: "retrieve, top_k out of range", method: .post, path: "/api/search/retrieve",
            body: #"{"query": "x", "top_k": 500}"#),
        Exchange(name: "retrieve, not JSON", method: .post, path: "/api/search/retrieve", body: "{"),
        Exchange(name: "wrong method", method: .get, path: "/api/search/retrieve"),
        Exchange(name: "unknown path", method: .get, path: "/api/nothing-here"),
        Exchange(
            name: "login, wrong password", method: .post, path: "/api/auth/login",
            body: #"{"username": "admin-test", "password": "not the password at all"}"#),
        Exchange(name: "me, no token", method: .get, path: "/api/auth/me"),
        Exchange(name: "me, viewer", method: .get, path: "/api/auth/me", token: "viewer"),
        Exchange(name: "documents, viewer", method: .get, path: "/api/admin/documents", token: "viewer"),
        Exchange(name: "documents, admin", method: .get, path: "/api/admin/documents", token: "admin"),
        Exchange(name: "document, admin", method: .get, path: "/api/admin/documents/us-eo-14179", token: "admin"),
        Exchange(name: "document, missing", method: .get, path: "/api/admin/documents/nope", token: "admin"),
    ]

    /// Keys whose values change from run to run (or machine to machine): only their JSON type is kept.
    static let volatile: Set<String> = [
        "score", "retrieval_ms", "generation_ms", "total_ms", "first_token_ms", "access_token", "created_at",
        "updated_at", "ingested_at", "uptime_seconds", "id", "version",
    ]

    @Test func responsesMatchTheRecordedContract() async throws {
        let library = try await TestLibrary.make()
        let tokens = [
            "viewer": try await library.token(for: library.viewer),
            "admin": try await library.token(for: library.admin),
        ]
        let text = try await library.application().test(.router) { client in
            var recorded: [[String: Any]] = []
            for exchange in Self.exchanges {
                let response = try await client.send(
                    exchange.method, exchange.path, body: exchange.body, token: exchange.token.flatMap { tokens[$0] })
                var entry: [String: Any] = [
                    "name": exchange.name, "request": "\(exchange.method) \(exchange.path)",
                    "status": Int(response.status.code),
                    "content_type": response.headers[.contentType] ?? "",
                ]
                if let allow = response.headers[.allow] { entry["allow"] = allow }
                if let body = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) {
                    entry["body"] = Self.stable(body)
                } else {
                    entry["body_bytes"] = response.body.readableBytes
                }
                recorded.append(entry)
            }
            return try Self.encode(recorded)
        }
        if ProcessInfo.processInfo.environment["AIGOV_RECORD_RESPONSES"] == "1" {
            try text.write(to: Self.file, atomically: true, encoding: .utf8)
            Issue.record("recorded \(Self.file.path); unset AIGOV_RECORD_RESPONSES and review the diff")
            return
        }
        let expected = try String(contentsOf: Self.file, encoding: .utf8)
        let got = text.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        if let line = zip(got, want).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            Issue.record(
                "fixtures/api-responses.json line \(line.offset + 1): recorded \(line.element.1), now \(line.element.0)"
            )
        } else {
            #expect(
                got.count == want.count, "the recorded contract has \(want.count) lines, the responses \(got.count)")
        }
    }

    /// `value` with volatile fields replaced by their type name.
    static func stable(_ value: Any, key: String? = nil) -> Any {
        if let key, volatile.contains(key) {
            switch value {
            case is NSNull: return NSNull()
            case is String: return "<string>"
            case is NSNumber: return "<number>"
            default: return "<value>"
            }
        }
        if let object = value as? [String: Any] {
            return Dictionary(uniqueKeysWithValues: object.map { ($0.key, stable($0.value, key: $0.key)) })
        }
        if let array = value as? [Any] { return array.map { stable($0) } }
        return value
    }

    static func encode(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
