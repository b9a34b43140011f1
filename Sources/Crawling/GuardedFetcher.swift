import AsyncHTTPClient
import ConcurrencySupport
import Foundation
import NIOCore
import NIOHTTP1

/// What one fetch may cost.
public struct FetchLimits: Sendable, Equatable {
    /// The whole exchange of one hop: connecting, the head and the body (`CRAWL_TIMEOUT_SECONDS`).
    public var timeout: Duration
    /// The largest body read; a larger one fails `TOO_LARGE`.
    public var maxBytes: Int
    /// Redirects followed at most.
    public var maxRedirects: Int

    public init(timeout: Duration = .seconds(30), maxBytes: Int = 20 << 20, maxRedirects: Int = 5) {
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
    }
}

/// The final answer of a fetch, after redirects.
public struct FetchResponse: Sendable {
    /// The URL that answered (the last hop).
    public var url: URL
    public var status: Int
    /// The media type, lower-cased, without parameters (`text/html`).
    public var contentType: String?
    public var etag: String?
    public var lastModified: String?
    public var body: Data
    /// Redirects followed to get here.
    public var redirects: Int

    /// True for `304 Not Modified`: the page is as it was when its validators were kept.
    public var notModified: Bool { status == 304 }

    /// `html` or `pdf` by the media type, else by the first bytes (as the loaders sniff); nil for anything else,
    /// which crawls count as `UNSUPPORTED_TYPE`.
    public var documentKind: String? {
        switch contentType {
        case "text/html", "application/xhtml+xml": return "html"
        case "application/pdf": return "pdf"
        default:
            if body.starts(with: Data("%PDF".utf8)) { return "pdf" }
            let head = String(decoding: body.prefix(512), as: UTF8.self).lowercased()
            return head.contains("<html") || head.contains("<!doctype html") ? "html" : nil
        }
    }
}

/// Fetches pages for a crawl behind the ``AddressGuard``, on async-http-client.
///
/// Each hop (the first request and every redirect) is checked before it is made: the URL, then every address its
/// host resolves to; the connection is then pinned to the checked address (async-http-client's `dnsOverride`, so TLS
/// still verifies the name), which is what stops DNS rebinding. Redirects are followed here, never by the HTTP
/// client, so every hop passes the guard; at most ``FetchLimits/maxRedirects``. The body is read up to
/// ``FetchLimits/maxBytes``, and each hop ends within ``FetchLimits/timeout``. A conditional request sends the
/// validators kept from the last fetch (`If-None-Match`, `If-Modified-Since`).
///
/// Any final status is returned (a 404 is an answer); failures to get one are ``CrawlError``s: `BLOCKED_ADDRESS`,
/// `TIMEOUT`, `TOO_LARGE`, `NETWORK_ERROR`, and `HTTP_ERROR` for a redirect loop or a redirect without a location.
public struct GuardedFetcher: Sendable {
    public var addressGuard: AddressGuard
    /// Sent as `User-Agent`; its product token is what robots.txt groups are matched against.
    public var userAgent: String
    public var limits: FetchLimits
    public var resolver: any HostResolver

    /// The `User-Agent` aigov names itself with unless `CRAWL_USER_AGENT` says otherwise.
    public static let defaultUserAgent = "aigov/1.0 (+https://github.com/aigov; AI governance literacy crawler)"

    public init(
        addressGuard: AddressGuard = AddressGuard(), userAgent: String = GuardedFetcher.defaultUserAgent,
        limits: FetchLimits = FetchLimits(), resolver: any HostResolver = SystemResolver()
    ) {
        self.addressGuard = addressGuard
        self.userAgent = userAgent
        self.limits = limits
        self.resolver = resolver
    }

    /// Fetches `url`, following redirects through the guard. `allowHop` is asked about every redirect target
    /// before it is requested (a crawl refuses a hop robots.txt disallows, or one to another site); it throws the
    /// ``CrawlError`` that ends the fetch.
    public func fetch(
        _ url: URL, etag: String? = nil, lastModified: String? = nil,
        allowHop: @Sendable (URL) throws(CrawlError) -> Void = { _ throws(CrawlError) in }
    ) async throws(CrawlError) -> FetchResponse {
        var current = url
        var redirects = 0
        while true {
            let (host, port) = try addressGuard.check(url: current)
            var pinned: IPAddress?
            if IPAddress(host: host) == nil {
                let addresses = try await resolver.addresses(of: host, port: port)
                try addressGuard.check(addresses: addresses, host: host, port: port)
                pinned = addresses.first
            }
            let hop = try await exchange(current, host: host, pinned: pinned, etag: etag, lastModified: lastModified)
            var response = hop.response
            guard (300..<400).contains(response.status), response.status != 304 else {
                response.redirects = redirects
                return response
            }
            guard let location = hop.location,
                let next = URL(string: location, relativeTo: current)?.absoluteURL
            else {
                throw CrawlError(.httpError, "\(host) answered \(response.status) without a usable Location")
            }
            redirects += 1
            guard redirects <= limits.maxRedirects else {
                throw CrawlError(.httpError, "more than \(limits.maxRedirects) redirects from \(url.host ?? "the URL")")
            }
            // The guard speaks first: a hop to a blocked address is reported as that, whatever else is wrong with it.
            _ = try addressGuard.check(url: next)
            try allowHop(next)
            current = next
        }
    }

    /// One hop's answer, with the redirect target when there is one.
    private struct Hop: Sendable {
        var response: FetchResponse
        var location: String?
    }

    private func exchange(
        _ url: URL, host: String, pinned: IPAddress?, etag: String?, lastModified: String?
    ) async throws(CrawlError) -> Hop {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)))
        configuration.connectionPool.retryConnectionEstablishment = false
        if let pinned { configuration.dnsOverride = [host: pinned.description] }
        // A client per hop: the pinned address is part of its configuration.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: userAgent)
        request.headers.add(name: "Accept", value: "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5")
        if let etag { request.headers.add(name: "If-None-Match", value: etag) }
        if let lastModified { request.headers.add(name: "If-Modified-Since", value: lastModified) }
        let limits = self.limits
        let prepared = request
        let outcome: Result<Hop, CrawlError>
        do {
            let hop = try await withDeadline(limits.timeout) {
                // The deadline around the whole exchange is what bounds it; this one only has to be longer.
                let response = try await client.execute(prepared, timeout: .seconds(3600))
                if let length = response.headers.first(name: "content-length").flatMap(Int.init),
                    length > limits.maxBytes
                {
                    throw CrawlError(.tooLarge, "\(host) announced \(length) bytes, over \(limits.maxBytes)")
                }
                let body: ByteBuffer
                do {
                    body = try await response.body.collect(upTo: limits.maxBytes)
                } catch is NIOTooManyBytesError {
                    throw CrawlError(.tooLarge, "\(host) sent more than \(limits.maxBytes) bytes")
                }
                let type = response.headers.first(name: "content-type").map {
                    $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
                }
                return Hop(
                    response: FetchResponse(
                        url: url, status: Int(response.status.code), contentType: type,
                        etag: response.headers.first(name: "etag"),
                        lastModified: response.headers.first(name: "last-modified"),
                        body: Data(body.readableBytesView), redirects: 0),
                    location: response.headers.first(name: "location"))
            }
            outcome = .success(hop)
        } catch let error as CrawlError {
            outcome = .failure(error)
        } catch is DeadlineExceeded {
            outcome = .failure(CrawlError(.timeout, "\(host) did not answer within \(limits.timeout)"))
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout
        {
            outcome = .failure(CrawlError(.timeout, "\(host) did not answer in time"))
        } catch {
            outcome = .failure(CrawlError(.networkError, "could not fetch from \(host)"))
        }
        try? await client.shutdown()
        return try outcome.get()
    }
}
