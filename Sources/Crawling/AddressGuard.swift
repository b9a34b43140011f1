import Foundation

/// The SSRF guard of every fetch (issue 17): which addresses a crawl may connect to.
///
/// A fetch names a host; the guard is asked twice, once about the URL (scheme, and a host written as an address in
/// any spelling) and once about each address the name resolved to, which is the address the connection then uses
/// (the fetcher connects to a checked address, never resolves again, so a name that answers differently the second
/// time, DNS rebinding, gains nothing). Every redirect hop is a new fetch and asks again.
///
/// Refused: loopback, private (RFC 1918), link-local (169.254.0.0/16, the cloud metadata address included), CGNAT
/// (100.64.0.0/10), multicast, unspecified, broadcast and the other special-purpose IPv4 blocks, and IPv6 loopback,
/// unspecified, unique-local, link-local, site-local and multicast, with IPv4 embedded in IPv6 (mapped, compatible,
/// NAT64, 6to4) judged as the IPv4 it carries. Only `http` and `https`. ``allowedHosts`` (`CRAWL_ALLOW_HOSTS`)
/// names the hosts (`host` or `host:port`) that may be reached anyway: tests on loopback, an intranet.
public struct AddressGuard: Sendable, Equatable {
    /// `host` or `host:port` entries, lower-cased.
    public var allowedHosts: Set<String>

    public init(allowedHosts: some Sequence<String> = []) {
        self.allowedHosts = Set(
            allowedHosts.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
    }

    /// The guard of `CRAWL_ALLOW_HOSTS`: comma-separated `host` or `host:port`.
    public init(allowList: String?) {
        self.init(allowedHosts: (allowList ?? "").split(separator: ",").map(String.init))
    }

    /// Whether `host` (and `port`) is on the allow-list.
    public func allows(host: String, port: Int) -> Bool {
        let name = Self.bare(host)
        return allowedHosts.contains(name) || allowedHosts.contains("\(name):\(port)")
            || allowedHosts.contains("[\(name)]:\(port)")
    }

    /// Checks a URL before anything is resolved: its scheme, and its host when the host is an address.
    ///
    /// - Returns: the host to resolve and the port to connect to.
    /// - Throws: `BLOCKED_ADDRESS` for another scheme, a URL with credentials, a missing host or a blocked address.
    public func check(url: URL) throws(CrawlError) -> (host: String, port: Int) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw CrawlError(.blockedAddress, "only http and https URLs are fetched")
        }
        guard let host = url.host, !host.isEmpty else { throw CrawlError(.blockedAddress, "the URL has no host") }
        guard url.user == nil, url.password == nil else {
            throw CrawlError(.blockedAddress, "URLs with credentials are not fetched")
        }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { throw CrawlError(.blockedAddress, "port \(port) is not usable") }
        if allows(host: host, port: port) { return (Self.bare(host), port) }
        if let address = IPAddress(host: host), let reason = Self.blockReason(address) {
            throw CrawlError(.blockedAddress, "\(Self.bare(host)) is \(reason)")
        }
        return (Self.bare(host), port)
    }

    /// Checks the addresses a name resolved to; the fetch connects to the first, so every one must pass (a name
    /// that resolves to a public and a private address is refused whole).
    public func check(addresses: [IPAddress], host: String, port: Int) throws(CrawlError) {
        guard !addresses.isEmpty else { throw CrawlError(.networkError, "\(host) did not resolve") }
        if allows(host: host, port: port) { return }
        for address in addresses {
            if let reason = Self.blockReason(address) {
                throw CrawlError(.blockedAddress, "\(host) resolves to \(address), \(reason)")
            }
        }
    }

    /// Why `address` may not be reached, or nil when it may.
    public static func blockReason(_ address: IPAddress) -> String? {
        if let v4 = address.embeddedIPv4 { return blockReason(.v4(v4)).map { $0 + " (embedded in IPv6)" } }
        switch address {
        case .v4(let value):
            for (base, bits, reason) in ipv4Blocks where value >> UInt32(32 - bits) == base >> UInt32(32 - bits) {
                return reason
            }
            return nil
        case .v6(let bytes):
            if bytes.allSatisfy({ $0 == 0 }) { return "the unspecified address" }
            if bytes[0..<15].allSatisfy({ $0 == 0 }), bytes[15] == 1 { return "a loopback address" }
            if bytes[0] & 0xFE == 0xFC { return "a unique-local address" }
            if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0x80 { return "a link-local address" }
            if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0xC0 { return "a site-local address" }
            if bytes[0] == 0xFF { return "a multicast address" }
            // Documentation (2001:db8::/32) and discard-only (100::/64) prefixes reach nothing real.
            if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0D, bytes[3] == 0xB8 {
                return "a documentation address"
            }
            if bytes[0] == 0x01, bytes[1..<8].allSatisfy({ $0 == 0 }) { return "a discard address" }
            return nil
        }
    }

    /// IPv4 special-purpose blocks (RFC 6890) that a crawl has no business reaching.
    static let ipv4Blocks: [(base: UInt32, bits: Int, reason: String)] = [
        (0x0000_0000, 8, "the unspecified network"),
        (0x0A00_0000, 8, "a private address"),
        (0x6440_0000, 10, "a shared (CGNAT) address"),
        (0x7F00_0000, 8, "a loopback address"),
        (0xA9FE_0000, 16, "a link-local address"),
        (0xAC10_0000, 12, "a private address"),
        (0xC000_0000, 24, "an IETF protocol address"),
        (0xC000_0200, 24, "a documentation address"),
        (0xC058_6300, 24, "a 6to4 relay address"),
        (0xC0A8_0000, 16, "a private address"),
        (0xC612_0000, 15, "a benchmarking address"),
        (0xC633_6400, 24, "a documentation address"),
        (0xCB00_7100, 24, "a documentation address"),
        (0xE000_0000, 4, "a multicast address"),
        (0xF000_0000, 4, "a reserved address"),
    ]

    /// A host without its IPv6 brackets, lower-cased.
    static func bare(_ host: String) -> String {
        var text = host.lowercased()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        return text
    }
}
