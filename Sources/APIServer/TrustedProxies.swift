import Foundation
import Settings

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The proxies whose `X-Forwarded-For` is believed (`FORWARDED_ALLOW_IPS`, uvicorn's name and default, so a
/// deployment of the old platform keeps its setting).
///
/// Without a trusted proxy in front, the TCP peer is the client. Behind one, every request would come from
/// the proxy's address and share its rate limits, so the client is read from `X-Forwarded-For`: walking it
/// from the right (the entry the nearest proxy appended), the first address that is not itself a trusted
/// proxy. Entries further left were written by the client and may be forged; they are never used while an
/// untrusted address stands to their right.
public struct TrustedProxies: Sendable, Equatable {
    /// An address range: the first `prefix` bits of `bytes` (4 bytes for IPv4, 16 for IPv6).
    struct Network: Sendable, Equatable {
        var bytes: [UInt8]
        var prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var bits = prefix
            for (a, b) in zip(address, bytes) where bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if a & mask != b & mask { return false }
                bits -= 8
            }
            return true
        }
    }

    /// True for `*`: every peer is a trusted proxy (only when the server is reachable through proxies alone).
    var trustsEveryone = false
    var networks: [Network] = []

    /// No proxy is trusted: `X-Forwarded-For` is ignored.
    public static let none = TrustedProxies()

    /// uvicorn's default: a proxy on the same machine.
    public static let defaultValue = "127.0.0.1"

    private init() {}

    /// Parses a comma list of IP addresses (IPv4 or IPv6) and CIDR ranges (`10.0.0.0/8`, `fd00::/8`), or `*`.
    /// An empty list trusts no proxy. Throws a `ConfigurationError` for `FORWARDED_ALLOW_IPS` naming the
    /// entry it cannot read.
    public init(parsing list: String) throws {
        for item in list.split(separator: ",") {
            let entry = item.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty { continue }
            if entry == "*" {
                trustsEveryone = true
                continue
            }
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bytes = Self.address(String(parts[0])) else {
                throw ConfigurationError(
                    variable: "FORWARDED_ALLOW_IPS", message: "'\(entry)' is not an IP address or CIDR range")
            }
            var prefix = bytes.count * 8
            if parts.count == 2 {
                guard let bits = Int(parts[1]), (0...bytes.count * 8).contains(bits) else {
                    throw ConfigurationError(
                        variable: "FORWARDED_ALLOW_IPS", message: "'\(entry)' has a prefix length out of range")
                }
                prefix = bits
            }
            networks.append(Network(bytes: bytes, prefix: prefix))
        }
    }

    /// Whether `address` (an IP address as text) is a trusted proxy.
    public func trusts(_ address: String) -> Bool {
        Self.address(address).map { trusts($0) } ?? false
    }

    private func trusts(_ bytes: [UInt8]) -> Bool {
        trustsEveryone || networks.contains { $0.contains(bytes) }
    }

    /// The client of a request from `peer` carrying `forwardedFor` (the `X-Forwarded-For` field values in
    /// order; each may hold a comma list). The peer itself unless it is a trusted proxy; a malformed entry
    /// stops the walk, and the address to its right is the client.
    public func client(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, trusts(peer), !forwardedFor.isEmpty else { return peer }
        // The nearest 32 hops are plenty for any real chain and bound the work a long forged header costs.
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.suffix(32).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var client = peer
        // When every hop is a trusted proxy, the leftmost is the client (as uvicorn decides).
        for hop in hops.reversed() {
            guard let bytes = Self.address(hop) else { break }
            client = Self.text(bytes)
            if !trusts(bytes) { break }
        }
        return client
    }

    /// The bytes of an IPv4 or IPv6 address (IPv4-mapped IPv6 addresses as IPv4), or nil. Accepts IPv6 in
    /// brackets and drops a zone (`fe80::1%eth0`).
    static func address(_ text: String) -> [UInt8]? {
        var text = text
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return Array(bytes[12...])
        }
        return bytes
    }

    /// Canonical text of an address, so one client has one rate-limit key however it was written.
    static func text(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var copy = bytes
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let result = copy.withUnsafeMutableBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        guard result != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
