import Foundation
import Hummingbird
import HummingbirdTesting

extension TestResponse {
    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]) ?? [:]
    }

    var text: String { String(buffer: body) }

    var detail: String { json["detail"] as? String ?? "" }
}

extension TestClientProtocol {
    /// Sends `body` (JSON text unless `contentType` says otherwise) and checks the response against the published
    /// `/openapi.json` (``PublishedContract``): a response the document does not describe fails the test.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, contentType: String? = "application/json",
        token: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if body != nil, let contentType { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        PublishedContract.check(response, method: method, uri: uri)
        return response
    }
}
