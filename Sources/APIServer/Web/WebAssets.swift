import Crypto
import Foundation

/// The static files pages load from `/assets/{name}`. Each page names an asset by ``path(_:)``, which carries a
/// hash of its content, so the file can be cached for a year and a new version is a new URL.
enum WebAssets {
    struct Asset: Sendable {
        let contentType: String
        let body: String
        /// The first 16 hex digits of the body's SHA-256, the `v` of its URL.
        let version: String
    }

    static let all: [String: Asset] = {
        func asset(_ type: String, _ body: String) -> Asset {
            let digest = SHA256.hash(data: Data(body.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
            return Asset(contentType: type, body: body, version: digest)
        }
        let script = "text/javascript; charset=utf-8"
        return [
            "site.css": asset("text/css; charset=utf-8", SiteStyle.css),
            "ask.js": asset(script, AskScript.javascript),
            "read.js": asset(script, ReadScript.javascript),
            "admin.js": asset(script, AdminScript.javascript),
            "docs.js": asset(script, DocsPage.javascript),
        ]
    }()

    /// `/assets/<name>?v=<version>`; a name that is not an asset is a programming error caught by the page tests.
    static func path(_ name: String) -> String {
        "/assets/\(name)?v=\(all[name]?.version ?? "missing")"
    }
}
