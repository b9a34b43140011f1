/// Why fetching a page failed, classified as the crawl jobs report it (issue 17's error classes).
///
/// Messages name the URL's host and what happened; they never hold a response body, which is the remote site's
/// text and not ours to echo.
public struct CrawlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable classes of a failed fetch.
    public enum Code: String, Sendable, CaseIterable {
        case timeout = "TIMEOUT"
        case httpError = "HTTP_ERROR"
        case networkError = "NETWORK_ERROR"
        case robotsDisallowed = "ROBOTS_DISALLOWED"
        case blockedAddress = "BLOCKED_ADDRESS"
        case tooLarge = "TOO_LARGE"
        case unsupportedType = "UNSUPPORTED_TYPE"
        case parseError = "PARSE_ERROR"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
