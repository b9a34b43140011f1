import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Settings
import Testing

@testable import APIServer

/// `FORWARDED_ALLOW_IPS`: which `X-Forwarded-For` entry is the client.
@Suite struct TrustedProxiesTests {
    @Test func parsesAddressesRangesAndStarAndNamesTheBadEntry() throws {
        let proxies = try TrustedProxies(parsing: " 10.0.0.0/8, 192.168.1.7 ,fd00::/8, ::1")
        #expect(proxies.trusts("10.200.3.4") && proxies.trusts("192.168.1.7") && proxies.trusts("::1"))
        #expect(proxies.trusts("fd12:3456::1") && proxies.trusts("::ffff:10.1.2.3"))
        #expect(!proxies.trusts("11.0.0.1") && !proxies.trusts("192.168.1.8") && !proxies.trusts("fe80::1"))
        #expect(!proxies.trusts("not an address") && !proxies.trusts(""))
        #expect(try TrustedProxies(parsing: "*").trusts("203.0.113.9"))
        #expect(!(try TrustedProxies(parsing: "")).trusts("127.0.0.1"))
        #expect(try TrustedProxies(parsing: "0.0.0.0/0").trusts("203.0.113.9"))
        for bad in ["10.0.0.0/33", "fd00::/129", "localhost", "10.0.0.1/", "10.0.0.1/x", "1.2.3"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try TrustedProxies(parsing: bad) }
            #expect(
                (try? ServerConfiguration(variables: ["FORWARDED_ALLOW_IPS": bad])) == nil,
                "\(bad) stops the server from starting")
        }
        #expect(try ServerConfiguration(variables: [:]).trustedProxies.trusts("127.0.0.1"), "uvicorn's default")
    }

    @Test func theClientIsTheFirstUntrustedHopFromTheRight() throws {
        let proxies = try TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8")
        // A direct client: its own header is ignored.
        #expect(proxies.client(peer: "203.0.113.5", forwardedFor: ["198.51.100.1"]) == "203.0.113.5")
        // Through the local proxy.
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"]) == "198.51.100.1")
        // A forged entry on the left is skipped; two proxies, in one field or in two.
        let forged = "6.6.6.6, 198.51.100.1"
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: [forged + ", 10.1.1.1"]) == "198.51.100.1")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: [forged, "10.1.1.1"]) == "198.51.100.1")
        // Every hop trusted: the leftmost. A malformed hop stops the walk at the address to its right.
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["10.9.9.9, 10.1.1.1"]) == "10.9.9.9")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["198.51.100.1, junk, 10.1.1.1"]) == "10.1.1.1")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["junk"]) == "127.0.0.1")
        // One client, one key, however the address is written.
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["[2001:DB8:0:0::1]"]) == "2001:db8::1")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["::ffff:198.51.100.1"]) == "198.51.100.1")
        #expect(proxies.client(peer: nil, forwardedFor: ["198.51.100.1"]) == nil)
        #expect(TrustedProxies.none.client(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"]) == "127.0.0.1")
    }

    static func retrieve(_ client: some TestClientProtocol, from address: String) async throws -> HTTPResponse.Status {
        try await client.send(
            .post, "/api/search/retrieve", body: #"{"query": "AI", "mode": "lexical"}"#,
            headers: [ClientAddressMiddleware.forwardedFor: address]
        ).status
    }

    /// Over real loopback HTTP: behind the (default) trusted local proxy each forwarded client has its own
    /// search budget; with `FORWARDED_ALLOW_IPS` empty the header is ignored and all share the peer's.
    @Test func rateLimitsFollowTheForwardedClientOnlyBehindATrustedProxy() async throws {
        let library = try await TestLibrary.shared()
        let trusted = try await library.application(try TestLibrary.configuration(["RATE_LIMIT_PER_MINUTE": "1"]))
        try await trusted.test(.live) { client in
            let first = try await Self.retrieve(client, from: "198.51.100.1")
            #expect(first == .ok)
            let again = try await Self.retrieve(client, from: "198.51.100.1")
            #expect(again == .tooManyRequests)
            let another = try await Self.retrieve(client, from: "198.51.100.2")
            #expect(another == .ok)
            // A client forging the left of the chain is still itself (the last hop the proxy appended).
            let forged = try await Self.retrieve(client, from: "198.51.100.3, 198.51.100.1")
            #expect(forged == .tooManyRequests)
        }
        let untrusted = try await library.application(
            try TestLibrary.configuration(["RATE_LIMIT_PER_MINUTE": "1", "FORWARDED_ALLOW_IPS": ""]))
        try await untrusted.test(.live) { client in
            let direct = try await Self.retrieve(client, from: "198.51.100.1")
            #expect(direct == .ok)
            let sameSocket = try await Self.retrieve(client, from: "198.51.100.2")
            #expect(sameSocket == .tooManyRequests)
        }
    }
}
