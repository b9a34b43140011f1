import Testing

@testable import APIServer

/// The keys rate limits and login throttles count a client under.
@Suite struct ClientKeyTests {
    @Test func ipv6CountsByItsSlash64AndIPv4Exactly() {
        let a = ClientKey.make(address: "2001:db8:1234:5678:aaaa:bbbb:cccc:dddd")
        let b = ClientKey.make(address: "2001:db8:1234:5678::1")
        #expect(a == "2001:db8:1234:5678::/64" && a == b)
        #expect(ClientKey.make(address: "2001:db8:1234:5679::1") != a)
        #expect(ClientKey.make(address: "[2001:db8:1234:5678::2]") == a)
        #expect(ClientKey.make(address: "fe80::1%eth0") == "fe80::/64")
        #expect(ClientKey.make(address: "203.0.113.5") == "203.0.113.5")
        #expect(ClientKey.make(address: "203.0.113.6") != ClientKey.make(address: "203.0.113.5"))
        #expect(ClientKey.make(address: "::ffff:203.0.113.5") == "203.0.113.5")
        #expect(ClientKey.make(address: "::1") == "::/64")
        #expect(ClientKey.make(address: nil) == "local")
        #expect(ClientKey.make(address: "not an address") == "not an address")
    }

    /// Over real loopback HTTP, behind the trusted local proxy: the addresses of one /64 share one budget.
    @Test func theSearchRateLimitHoldsAcrossOneSlash64() async throws {
        let library = try await TestLibrary.shared()
        let app = try await library.application(try TestLibrary.configuration(["RATE_LIMIT_PER_MINUTE": "1"]))
        try await app.test(.live) { client in
            let first = try await TrustedProxiesTests.retrieve(client, from: "2001:db8:aa:1::1")
            #expect(first == .ok)
            let sameNetwork = try await TrustedProxiesTests.retrieve(client, from: "2001:db8:aa:1:ffff::2")
            #expect(sameNetwork == .tooManyRequests)
            let otherNetwork = try await TrustedProxiesTests.retrieve(client, from: "2001:db8:aa:2::1")
            #expect(otherNetwork == .ok)
            let v4 = try await TrustedProxiesTests.retrieve(client, from: "198.51.100.77")
            #expect(v4 == .ok)
            let mapped = try await TrustedProxiesTests.retrieve(client, from: "::ffff:198.51.100.77")
            #expect(mapped == .tooManyRequests)
        }
    }
}
