import Crawling
import Foundation
import Testing

/// robots.txt as RFC 9309 reads it.
@Suite struct RobotsTxtTests {
    static let file = """
        # A regulator's robots.txt
        User-agent: *
        Disallow: /private/
        Disallow: /*.pdf$
        Allow: /private/public-notice
        Crawl-delay: 2

        User-agent: aigov
        User-agent: other-bot
        Disallow: /drafts
        Allow: /drafts/published
        Disallow: /search?
        Crawl-delay: 0.5

        Sitemap: https://regulator.example/sitemap-index.xml
        """

    func url(_ path: String) -> URL { URL(string: "https://regulator.example" + path)! }

    @Test func theCrawlersOwnGroupReplacesTheStarGroup() {
        let robots = RobotsTxt(parsing: Self.file, userAgent: "aigov/1.0 (+https://example.org/aigov)")
        #expect(robots.crawlDelay == 0.5)
        #expect(robots.sitemaps == ["https://regulator.example/sitemap-index.xml"])
        #expect(!robots.allows(url("/drafts")) && !robots.allows(url("/drafts/2024/x.html")))
        #expect(robots.allows(url("/drafts/published/act.html")))
        #expect(!robots.allows(url("/search?q=ai")) && robots.allows(url("/search")))
        // The star group's rules do not apply to a crawler with its own group.
        #expect(robots.allows(url("/private/x")) && robots.allows(url("/act.pdf")))
        #expect(robots.allows(url("/robots.txt")))

        let other = RobotsTxt(parsing: Self.file, userAgent: "SomeBot/2")
        #expect(other.crawlDelay == 2)
        #expect(!other.allows(url("/private/x")) && other.allows(url("/private/public-notice")))
        #expect(!other.allows(url("/files/act.pdf")) && other.allows(url("/files/act.pdf.html")))
        #expect(other.allows(url("/drafts")))
    }

    @Test func longestMatchWinsAndAllowWinsATie() {
        let robots = RobotsTxt(
            parsing: "User-agent: *\nDisallow: /a\nAllow: /a\nDisallow: /b/*/c\nAllow: /b/x\n", userAgent: "aigov")
        #expect(robots.allows(url("/a/page")))
        #expect(!robots.allows(url("/b/y/c")) && robots.allows(url("/b/x/c")) == false)
        #expect(robots.allows(url("/b/x/d")))
    }

    @Test func statusDecidesWhenThereIsNoFileToRead() {
        #expect(RobotsTxt(status: 404, body: Data(), userAgent: "aigov").allows(url("/anything")))
        #expect(!RobotsTxt(status: 503, body: Data(), userAgent: "aigov").allows(url("/anything")))
        #expect(!RobotsTxt.disallowAll.allows(url("/robots.txt")))
        let empty = RobotsTxt(status: 200, body: Data("User-agent: *\nDisallow:\n".utf8), userAgent: "aigov")
        #expect(empty.allows(url("/x")))
    }

    @Test func groupsWithoutRulesAndStrayLinesAreReadAsTheRFCSays() {
        // Rules before any user-agent line belong to no group; a group naming the crawler with no rule (possible
        // only at the end: blank lines do not end a group, so user-agent lines separated by one share the rules
        // after them) allows all.
        let text = "Disallow: /\nUser-agent: *\nDisallow: /\n\nUser-agent: AIGOV\n"
        let robots = RobotsTxt(parsing: text, userAgent: "aigov")
        #expect(robots.allows(url("/anything")))
        #expect(!RobotsTxt(parsing: text, userAgent: "x").allows(url("/anything")))
        let shared = RobotsTxt(parsing: "User-agent: aigov\n\nUser-agent: *\nDisallow: /x\n", userAgent: "aigov")
        #expect(!shared.allows(url("/x/1")) && shared.allows(url("/y")))
    }
}
