import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import APIServer

/// The API as `/openapi.json` publishes it, and the check of one real response against it: the route exists, it
/// declares the status, the status declares the media type, and a JSON body conforms to the schema.
///
/// `send` (TestHelpers.swift) runs every response of the API tests through ``problems(method:uri:status:contentType:body:)``
/// and records what it finds, so a handler that starts answering a field, a status or a type the document does
/// not describe fails the test that saw it.
enum PublishedContract {
    /// The document the server serves, parsed once.
    static let document: JSONValue = {
        do {
            return try JSONValue.parse(Data(OpenAPIDocument.json.utf8))
        } catch {
            Issue.record("/openapi.json does not parse: \(error)")
            return .null
        }
    }()

    static let validator = SchemaValidator(document: document)

    /// The operation (by `operationId`) a request reaches; nil for a path or method no route serves.
    static func operation(method: HTTPRequest.Method, uri: String) -> String? {
        APIContract.route(method: method, path: path(of: uri))?.operation.rawValue
    }

    /// What is wrong with a response; empty when the published document describes it.
    static func problems(
        method: HTTPRequest.Method, uri: String, status: Int, contentType: String?, body: Data
    ) -> [String] {
        let path = path(of: uri)
        let request = "\(method) \(path) -> \(status)"
        let responses: JSONValue
        if let route = APIContract.route(method: method, path: path) {
            guard let declared = document["paths"]?[route.path]?[method.rawValue.lowercased()]?["responses"] else {
                return ["\(request): the document has no \(route.path) \(method)"]
            }
            responses = declared
        } else {
            // A CORS preflight of a served path is the CORS middleware's, and carries no body.
            if method == .options, status == 204, !APIContract.methods(for: path).isEmpty, body.isEmpty { return [] }
            // No route: the router's own answers, 404 and 405, still carry the error body.
            guard status == 404 || status == 405 else { return ["\(request): no route serves this request"] }
            responses = .object([String(status): .object(["content": .object(["application/json": errorBody])])])
        }
        guard let response = responses[String(status)] else {
            return ["\(request): status \(status) is not in the document"]
        }
        let mediaType = contentType.map { String($0.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces) }
        guard case .object(let content) = response["content"] ?? .null, !content.isEmpty else {
            return body.isEmpty ? [] : ["\(request): a body where the document declares none"]
        }
        guard let mediaType, let declared = content[mediaType] else {
            return ["\(request): Content-Type \(contentType ?? "none") is not one of \(content.keys.sorted())"]
        }
        if mediaType == "text/event-stream", case .object(let events) = declared["x-events"] ?? .null {
            return eventProblems(body, events: events).map { "\(request): \($0)" }
        }
        guard mediaType == "application/json", let schema = declared["schema"] else { return [] }
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            return ["\(request): the body is not JSON"]
        }
        return validator.problems(value, schema).map { "\(request): \($0)" }
    }

    /// The problems of a server-sent event stream: each event must be one the document names in `x-events`, with
    /// a JSON `data` line that conforms to that event's schema.
    static func eventProblems(_ body: Data, events: [String: JSONValue]) -> [String] {
        var problems: [String] = []
        let text = String(decoding: body, as: UTF8.self)
        for (position, block) in text.components(separatedBy: "\n\n").enumerated() where !block.isEmpty {
            var name: String?
            var data: String?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard let name, let schema = events[name] else {
                problems.append("event \(position) (\(name ?? "unnamed")) is not in the document's x-events")
                continue
            }
            guard let data, let value = try? JSONValue.parse(Data(data.utf8)) else {
                problems.append("event \(position) (\(name)) has no JSON data line")
                continue
            }
            problems += validator.problems(value, schema, at: "event \(position) (\(name))")
        }
        return problems
    }

    private static let errorBody: JSONValue = .object([
        "schema": .object(["$ref": .string("#/components/schemas/Error")])
    ])

    private static func path(of uri: String) -> String {
        String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }

    /// Records each problem of `response` to `request` as a test failure.
    static func check(_ response: TestResponse, method: HTTPRequest.Method, uri: String) {
        let found = problems(
            method: method, uri: uri, status: Int(response.status.code), contentType: response.headers[.contentType],
            body: Data(response.body.readableBytesView))
        for problem in found { Issue.record("the response breaks /openapi.json: \(problem)") }
    }
}
