import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Knowledge
import Testing

@testable import APIServer

/// The web pages as served (issue 19): strict headers on every page and asset, no inline script or style, assets
/// that exist, the read page's passages in order under the anchors the ask page links to, text escaped, and the
/// original file served so that it can never run as a page. scripts/browser-test uses them in a real browser.
@Suite struct WebPageTests {
    static let pages = ["/", "/documents", "/documents/\(TestLibrary.eoDocumentID)", "/admin", "/docs"]

    @Test func pagesAndAssetsCarryTheSecurityHeadersAndNoInlineCode() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            for path in Self.pages {
                let page = try await client.send(.get, path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                let policy = page.headers[.contentSecurityPolicy] ?? ""
                #expect(policy == PageHeaders.contentSecurityPolicy && !policy.contains("unsafe"), "\(path)")
                #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                let html = page.text
                #expect(html.contains("<html lang=\"en\">") && html.contains("<main id=\"main\""), "\(path)")
                // Every script is a same-origin file; no style element or attribute.
                let scripts = html.components(separatedBy: "<script").dropFirst()
                #expect(scripts.allSatisfy { $0.hasPrefix(" src=\"/assets/") }, "\(path)")
                let handler = html.range(of: #"<[^>]*\son[a-z]+\s*="#, options: .regularExpression)
                #expect(!html.contains("<style") && !html.contains(" style=") && handler == nil, "\(path)")
                // Each asset the page names is served, with the same headers and a year's caching.
                for name in ["site.css"] + WebAssets.all.keys.filter({ html.contains(WebAssets.path($0)) }) {
                    let asset = try await client.send(.get, WebAssets.path(name))
                    #expect(asset.status == .ok && asset.headers[.contentSecurityPolicy] == policy, "\(name)")
                    #expect(asset.headers[.cacheControl]?.contains("immutable") == true)
                }
            }
            let missing = try await client.send(.get, "/assets/nothing.js")
            #expect(missing.status == .notFound && missing.json["detail"] as? String == "no such asset")
        }
    }

    @Test func theReadPageShowsThePassagesInOrderUnderTheirAnchors() async throws {
        let library = try await TestLibrary.shared()
        let chunks = try await library.store.chunks(documentID: TestLibrary.eoDocumentID).sorted {
            $0.ordinal < $1.ordinal
        }
        try #require(chunks.count >= 2)
        try await library.application().test(.router) { client in
            let page = try await client.send(.get, "/documents/\(TestLibrary.eoDocumentID)")
            let html = page.text
            var cursor = html.startIndex
            for chunk in chunks {
                let anchor = "id=\"\(WebLayout.chunkAnchor(chunk.chunkID))\""
                let found = try #require(html.range(of: anchor, range: cursor..<html.endIndex), "\(chunk.chunkID)")
                cursor = found.upperBound
            }
            #expect(html.contains("Next passage") && html.contains("Previous passage"))
            let missing = try await client.send(.get, "/documents/no-such-document")
            #expect(missing.status == .notFound && missing.text.contains("Document not found"))
            #expect(missing.headers[.contentSecurityPolicy] == PageHeaders.contentSecurityPolicy)
        }
    }

    @Test func documentTextIsEscaped() async throws {
        let library = try await TestLibrary.make()
        let markup = "<script>alert(1)</script> & <img src=x onerror=alert(2)> \"quoted\""
        _ = try await library.knowledgeBase.ingest(
            data: Data("The heron registry keeps ledgers. \(markup)".utf8), fileName: "planted.txt",
            options: .init(id: "planted.txt", title: "<b>Heron</b> rules", source: "Tests"))
        try await library.application().test(.router) { client in
            let page = try await client.send(.get, "/documents/planted.txt")
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert") && !page.text.contains("<img src=x"))
            #expect(
                page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;"))
            #expect(page.text.contains("&lt;b&gt;Heron&lt;/b&gt; rules") && !page.text.contains("<b>Heron"))
            let ask = try await client.send(.get, "/")
            #expect(ask.text.contains("&lt;b&gt;Heron&lt;/b&gt; rules</option>"))
        }
    }

    @Test func theOriginalIsServedAsPlainTextOrPDFNeverAsAPage() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            let original = try await client.send(.get, "/documents/\(TestLibrary.eoDocumentID)/original")
            #expect(original.status == .ok)
            #expect(original.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(original.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            let fixture = try String(contentsOf: TestLibrary.eoFixture, encoding: .utf8)
            #expect(original.text == fixture)
            let missing = try await client.send(.get, "/documents/no-such-document/original")
            #expect(missing.status == .notFound)
        }
        // Without a kept original (removed here, as for a document ingested before originals were kept): the
        // document's own http(s) address.
        let bare = try await TestLibrary.make()
        _ = try await bare.knowledgeBase.ingest(
            data: Data("Text without a file.".utf8), fileName: "linked.txt",
            options: .init(id: "linked", title: "Linked", source: "Tests", url: "https://example.org/linked"))
        try FileManager.default.removeItem(at: KnowledgeBase.originalsDirectory(in: bare.directory))
        try await bare.application().test(.router) { client in
            let linked = try await client.send(.get, "/documents/linked/original")
            #expect(linked.status == .found && linked.headers[.location] == "https://example.org/linked")
        }
    }
}
