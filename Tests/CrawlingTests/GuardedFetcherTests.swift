import AigovTestSupport
import Crawling
import Foundation
import Testing

/// A resolver that answers from a table, standing in for DNS (a name that rebinds to loopback, a test name).
struct TableResolver: HostResolver {
    var table: [String: [IPAddress]]

    func addresses(of host: String, port: Int) async throws(CrawlError) -> [IPAddress] {
        guard let found = table[host] else { throw CrawlError(.networkError, "\(host) did not resolve") }
        return found
    }
}

/// The guarded fetcher against the crawl test site (Tests/Support/crawl_test_site.py) on loopback.
@Suite struct GuardedFetcherTests {
    static let pdf = PythonPeer.supportFolder.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/governance/nist-ai-100-1_ai-rmf-1.0.pdf")

    /// Runs `body` with the site and a fetcher allowed to reach it (and nothing else on loopback).
    func withSite<T>(
        limits: FetchLimits = FetchLimits(timeout: .seconds(30), maxBytes: 4 << 20),
        _ body: (Int, GuardedFetcher) async throws -> T
    ) async throws -> T {
        let site = try await offThePool {
            try PythonPeer.start(
                script: "crawl_test_site.py", arguments: [Self.pdf.path],
                failure: "the crawl test site did not start: is python3 on PATH?")
        }
        defer { site.stop() }
        let fetcher = GuardedFetcher(
            addressGuard: AddressGuard(allowedHosts: ["127.0.0.1:\(site.port)", "site.test:\(site.port)"]),
            limits: limits,
            resolver: TableResolver(table: [
                "site.test": [.v4(0x7F00_0001)], "rebind.test": [.v4(0x7F00_0001)],
                "mixed.test": [IPAddress(host: "93.184.215.14")!, .v4(0x0A00_0001)],
            ]))
        return try await body(site.port, fetcher)
    }

    func url(_ port: Int, _ path: String, host: String = "127.0.0.1") -> URL {
        URL(string: "http://\(host):\(port)\(path)")!
    }

    @Test func fetchesPagesAndPDFsWithTheirValidators() async throws {
        try await withSite { port, fetcher in
            let home = try await fetcher.fetch(url(port, "/"))
            #expect(home.status == 200 && home.contentType == "text/html" && home.redirects == 0)
            #expect(String(decoding: home.body, as: UTF8.self).contains("high-risk AI systems"))
            let pdf = try await fetcher.fetch(url(port, "/act.pdf"))
            #expect(pdf.contentType == "application/pdf" && pdf.body.starts(with: Data("%PDF".utf8)))

            let first = try await fetcher.fetch(url(port, "/etag.html"))
            #expect(first.status == 200 && first.etag == "\"v1\"" && first.lastModified != nil)
            let again = try await fetcher.fetch(url(port, "/etag.html"), etag: first.etag)
            #expect(again.notModified && again.body.isEmpty)

            let missing = try await fetcher.fetch(url(port, "/missing.html"))
            #expect(missing.status == 404)
            // A name on the allow-list resolves (here from the table) and the connection goes to that address.
            let named = try await fetcher.fetch(url(port, "/", host: "site.test"))
            #expect(named.status == 200)
        }
    }

    @Test func redirectsAreFollowedThroughTheGuardAndBounded() async throws {
        try await withSite { port, fetcher in
            let five = try await fetcher.fetch(url(port, "/redirect/5"))
            #expect(five.status == 200 && five.redirects == 5 && five.url.path == "/")
            let six = await #expect(throws: CrawlError.self) { try await fetcher.fetch(url(port, "/redirect/6")) }
            #expect(six?.code == .httpError)
            let metadata = await #expect(throws: CrawlError.self) { try await fetcher.fetch(url(port, "/to-metadata")) }
            #expect(metadata?.code == .blockedAddress && metadata?.message.contains("169.254.169.254") == true)
            let bare = await #expect(throws: CrawlError.self) { try await fetcher.fetch(url(port, "/no-location")) }
            #expect(bare?.code == .httpError)
        }
    }

    @Test func limitsHoldAndLoopbackStaysClosedWithoutTheAllowList() async throws {
        try await withSite(limits: FetchLimits(timeout: .seconds(1), maxBytes: 1 << 20)) { port, fetcher in
            let large = await #expect(throws: CrawlError.self) { try await fetcher.fetch(url(port, "/large.html")) }
            #expect(large?.code == .tooLarge)
            let slow = await #expect(throws: CrawlError.self) { try await fetcher.fetch(url(port, "/slow.html")) }
            #expect(slow?.code == .timeout)

            // The same site, its port not on the list: refused before any connection.
            var closed = fetcher
            closed.addressGuard = AddressGuard()
            for target in [
                url(port, "/"), url(port, "/", host: "2130706433"), url(port, "/", host: "[::ffff:127.0.0.1]"),
            ] {
                let refused = await #expect(throws: CrawlError.self) { try await closed.fetch(target) }
                #expect(refused?.code == .blockedAddress, "\(target)")
            }
            // A name that resolves to loopback (DNS rebinding) is judged by the address it resolved to; so is a
            // name with one public and one private address.
            for name in ["rebind.test", "mixed.test"] {
                let refused = await #expect(throws: CrawlError.self) {
                    try await fetcher.fetch(url(port, "/", host: name))
                }
                #expect(refused?.code == .blockedAddress, "\(name)")
            }
            let unresolved = await #expect(throws: CrawlError.self) {
                try await fetcher.fetch(url(port, "/", host: "nowhere.test"))
            }
            #expect(unresolved?.code == .networkError)
        }
    }
}
