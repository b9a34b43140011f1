import Foundation
import Logging
import Synchronization
import Testing

@testable import APIServer

@Suite struct ComponentTests {
    @Test func jsonLogLinesCarryTheRequestID() throws {
        let lines = Mutex<[String]>([])
        var handler = JSONLogHandler(label: "test", level: .info) { line in lines.withLock { $0.append(line) } }
        handler[metadataKey: "hb.request.id"] = "req-1"
        let logger = Logger(label: "test") { _ in handler }
        logger.info("request", metadata: ["status": "200", "route": "/health"])
        logger.debug("hidden")
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["request_id"] as? String == "req-1" && object["message"] as? String == "request")
        #expect(object["level"] as? String == "info" && object["status"] as? String == "200")
        #expect((object["ts"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func multipartParsesQuotedParametersAndBinaryBodies() throws {
        let boundary = MultipartFormData.boundary(fromContentType: #"multipart/form-data; boundary="a b=c""#)
        #expect(boundary == "a b=c")
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data") == nil)
        #expect(MultipartFormData.boundary(fromContentType: "application/json; boundary=x") == nil)
        var body = Data(
            "preamble\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r\\\"q.pdf\"\r\n".utf8)
        body += Data("Content-Type: application/pdf\r\n\r\n".utf8) + Data([0, 13, 10, 45, 45, 67, 255])
        body += Data("\r\n--B\r\nContent-Disposition: form-data; name=title\r\n\r\nT\r\n--B--\r\n".utf8)
        let parts = try MultipartFormData.parse(body, boundary: "B")
        #expect(parts.count == 2)
        #expect(parts[0].name == "file" && parts[0].fileName == "r\"q.pdf")
        #expect(parts[0].body == Data([0, 13, 10, 45, 45, 67, 255]))
        #expect(parts[1].name == "title" && parts[1].body == Data("T".utf8))
        #expect(throws: MultipartFormData.ParseError.self) {
            try MultipartFormData.parse(Data("x".utf8), boundary: "B")
        }
    }

    @Test func uploadFileNamesAreReducedToASafeLastComponent() {
        #expect(ContentRoutes.safeFileName("../../etc/passwd") == "passwd")
        #expect(ContentRoutes.safeFileName("C:\\docs\\a.pdf") == "a.pdf")
        #expect(ContentRoutes.safeFileName("..") == "upload" && ContentRoutes.safeFileName(nil) == "upload")
        #expect(ContentRoutes.safeFileName("a\u{0}b\nc.md") == "abc.md")
    }

    @Test func derivedIDsAreStableSlugs() {
        let id = ContentRoutes.derivedID(title: "Model Cards: A Primer!", source: "Tests", url: nil)
        #expect(
            id.hasPrefix("model-cards-a-primer-")
                && id
                    == ContentRoutes.derivedID(
                        title: "Model Cards: A Primer!", source: "Tests", url: nil)
        )
        #expect(id != ContentRoutes.derivedID(title: "Model Cards: A Primer!", source: "Other", url: nil))
    }

    @Test func tokenBucketRefills() {
        let clock = ManualClock()
        let limiter = RateLimiter(capacity: 2, period: 60, clock: { clock.now })
        #expect(limiter.acquire("a") == nil && limiter.acquire("a") == nil)
        let wait = limiter.acquire("a")
        #expect(wait != nil && (wait ?? 0) <= 30.0001)
        #expect(limiter.acquire("b") == nil)
        clock.advance(30)
        #expect(limiter.acquire("a") == nil)
    }

    @Test func onlyHS256HeadersArePinned() {
        func header(_ json: String) -> String {
            AuthTests.base64URL(Data(json.utf8)) + ".e30.c2ln"
        }
        #expect(TokenService.headerIsPinned(header(#"{"alg":"HS256","typ":"JWT"}"#)))
        #expect(TokenService.headerIsPinned(header(#"{"alg":"HS256"}"#)))
        #expect(!TokenService.headerIsPinned(header(#"{"alg":"none","typ":"JWT"}"#)))
        #expect(!TokenService.headerIsPinned(header(#"{"alg":"RS256"}"#)))
        #expect(!TokenService.headerIsPinned(header(#"{"alg":"HS256","crit":["b64"]}"#)))
        #expect(!TokenService.headerIsPinned("only.two"))
    }

    @Test func routeTableMatchesTemplates() {
        #expect(RouteTable.methods(for: "/api/admin/documents/abc") == ["GET", "DELETE"])
        #expect(RouteTable.methods(for: "/api/search/query") == ["POST"])
        #expect(RouteTable.methods(for: "/nothing").isEmpty)
    }
}
