/// The key per-client limits (the search rate limit, the login throttles) count a client address under.
///
/// One IPv6 subscriber is normally given a whole /64, so an exact-address key would let one client take a
/// fresh allowance from each of its 2^64 addresses; IPv6 clients are counted by their /64. IPv4 addresses
/// stay exact (a /24 is often many unrelated users behind different NATs), and IPv4-mapped IPv6 addresses
/// (`::ffff:203.0.113.5`, what a dual-stack socket reports) count as the IPv4 address they carry.
enum ClientKey {
    /// The key of `address`: the IPv4 address, `<first 64 bits>::/64` for IPv6, the text itself when it is
    /// not an address, and `local` for an in-process request with no peer.
    static func make(address: String?) -> String {
        guard let address else { return "local" }
        guard let bytes = TrustedProxies.address(address) else { return address }
        if bytes.count == 4 { return TrustedProxies.text(bytes) }
        return TrustedProxies.text(Array(bytes.prefix(8)) + [UInt8](repeating: 0, count: 8)) + "/64"
    }
}
