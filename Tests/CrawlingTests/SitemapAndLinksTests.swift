import AigovTestSupport
import Crawling
import Foundation
import Testing

/// Sitemaps (plain, index, gzipped from the test site) and the links of a page.
@Suite struct SitemapAndLinksTests {
    @Test func readsPageSetsAndIndexes() throws {
        let pages = try Sitemap(
            data: Data(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <url><loc> https://regulator.example/a </loc><lastmod>2024-01-01</lastmod></url>
                  <url><loc>https://regulator.example/b?x=1&amp;y=2</loc></url>
                </urlset>
                """.utf8))
        #expect(pages.kind == .pages)
        #expect(pages.locations == ["https://regulator.example/a", "https://regulator.example/b?x=1&y=2"])
        let prefixed =
            "<sm:sitemapindex xmlns:sm=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sm:sitemap><sm:loc>"
            + "https://regulator.example/s1.xml.gz</sm:loc></sm:sitemap></sm:sitemapindex>"
        let index = try Sitemap(data: Data(prefixed.utf8))
        #expect(index.kind == .index && index.locations == ["https://regulator.example/s1.xml.gz"])
    }

    @Test func refusesWhatIsNotASitemap() {
        for bad in ["<html><body>no</body></html>", "<urlset><url><loc>x", "", "\u{1F}\u{8B}not gzip"] {
            let error = #expect(throws: CrawlError.self) { try Sitemap(data: Data(bad.utf8)) }
            #expect(error?.code == .parseError, "\(bad)")
        }
    }

    @Test func aGzippedSitemapFromTheSiteIsRead() async throws {
        let site = try await offThePool {
            try PythonPeer.start(script: "crawl_test_site.py", failure: "the crawl test site did not start")
        }
        defer { site.stop() }
        let fetcher = GuardedFetcher(addressGuard: AddressGuard(allowedHosts: ["127.0.0.1:\(site.port)"]))
        let index = try Sitemap(
            data: try await fetcher.fetch(URL(string: "http://127.0.0.1:\(site.port)/sitemap-index.xml")!).body)
        #expect(index.kind == .index && index.locations.count == 1)
        let pages = try Sitemap(data: try await fetcher.fetch(URL(string: index.locations[0])!).body)
        #expect(pages.kind == .pages)
        #expect(
            pages.locations == ["http://127.0.0.1:\(site.port)/etag.html", "http://127.0.0.1:\(site.port)/act.pdf"])
    }

    @Test func linksResolveAgainstTheBaseAndComeOutCanonical() {
        let page = URL(string: "https://regulator.example/guidance/index.html")!
        let html = """
            <html><head><BASE HREF="https://regulator.example/deep/"><title>x</title></head>
            <body><!-- <a href="/commented-out"> -->
            <a class=x href="note.html?utm_source=feed&amp;id=7#part">Note</a>
            <A HREF='/act.pdf'>Act</A> <a href=/about/>About</a> <a href="mailto:x@example.org">Mail</a>
            <a href="https://other.example/">Other</a> <a href="note.html?id=7">Same note</a> <a name="anchor">
            <script>var s = '<a href="/from-script">';</script><a href="#top">Top</a>
            </body></html>
            """
        #expect(
            HTMLLinks.extract(from: html, pageURL: page) == [
                "https://regulator.example/deep/note.html?id=7", "https://regulator.example/act.pdf",
                "https://regulator.example/about", "https://other.example/",
            ])
        let plain = HTMLLinks.extract(from: "<a href=\"sub/page.html\">x</a>", pageURL: page)
        #expect(plain == ["https://regulator.example/guidance/sub/page.html"])
    }
}
