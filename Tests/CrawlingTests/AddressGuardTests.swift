import Crawling
import Foundation
import Testing

/// The SSRF guard: every spelling of every blocked address is refused, public addresses pass, the allow-list is
/// the one way through.
@Suite struct AddressGuardTests {
    let guardian = AddressGuard()

    func refused(_ url: String) -> Bool {
        do {
            _ = try guardian.check(url: URL(string: url)!)
            return false
        } catch {
            return error.code == .blockedAddress
        }
    }

    @Test(arguments: [
        // Loopback, in the spellings inet_aton accepts.
        "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f000001/", "http://0x7f.0.0.1/",
        "http://0177.0.0.1/", "http://017700000001/", "http://127.0.0.1./",
        // Cloud metadata and the rest of link-local; private; CGNAT; unspecified; multicast; broadcast.
        "http://169.254.169.254/latest/meta-data/", "http://0xa9fea9fe/", "http://2852039166/",
        "http://10.0.0.1/", "http://172.16.5.4/", "http://172.31.255.255/", "http://192.168.1.1:8080/",
        "http://100.64.0.1/", "http://0.0.0.0/", "http://0/", "http://224.0.0.1/", "http://255.255.255.255/",
        // IPv6: loopback, unspecified, unique-local, link-local, multicast, and IPv4 carried inside IPv6.
        "http://[::1]/", "http://[0:0:0:0:0:0:0:1]/", "http://[::]/", "http://[fd00::1]/", "http://[fc12:3456::1]/",
        "http://[fe80::1]/", "http://[ff02::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
        "http://[::ffff:169.254.169.254]/", "http://[::127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a9fe:a9fe::1]/", "http://[fec0::1]/",
        // Schemes other than http(s), credentials.
        "file:///etc/passwd", "ftp://example.org/", "gopher://example.org/", "http://user:pass@example.org/",
    ])
    func refusesEverySpellingOfABlockedAddress(_ url: String) {
        #expect(refused(url), "\(url)")
    }

    @Test func publicAddressesAndNamesPass() throws {
        for url in [
            "https://eur-lex.europa.eu/eli/reg/2024/1689/oj", "http://93.184.215.14/", "https://[2606:4700::1111]/",
            "http://8.8.8.8:8080/x", "http://172.32.0.1/", "http://100.128.0.1/", "http://192.169.0.1/",
        ] {
            #expect(!refused(url), "\(url)")
        }
        let (host, port) = try guardian.check(url: URL(string: "https://EUR-Lex.Europa.EU/x")!)
        #expect(host == "eur-lex.europa.eu" && port == 443)
    }

    @Test func resolvedAddressesAreJudgedToo() throws {
        let rebinding = [IPAddress(host: "93.184.215.14")!, IPAddress(host: "127.0.0.1")!]
        let error = #expect(throws: CrawlError.self) {
            try guardian.check(addresses: rebinding, host: "evil.example", port: 80)
        }
        #expect(error?.code == .blockedAddress && error?.message.contains("127.0.0.1") == true)
        try guardian.check(addresses: [IPAddress(host: "93.184.215.14")!], host: "example.org", port: 80)
        let none = #expect(throws: CrawlError.self) { try guardian.check(addresses: [], host: "x.invalid", port: 80) }
        #expect(none?.code == .networkError)
    }

    @Test func theAllowListNamesHostsOrHostsWithPorts() throws {
        let tests = AddressGuard(allowList: "127.0.0.1:8088, intranet.local ,[::1]:9000")
        #expect(tests.allows(host: "127.0.0.1", port: 8088) && !tests.allows(host: "127.0.0.1", port: 8089))
        #expect(tests.allows(host: "INTRANET.local", port: 1234) && tests.allows(host: "[::1]", port: 9000))
        _ = try tests.check(url: URL(string: "http://127.0.0.1:8088/robots.txt")!)
        try tests.check(addresses: [IPAddress(host: "10.1.2.3")!], host: "intranet.local", port: 80)
        #expect(throws: CrawlError.self) { try tests.check(url: URL(string: "http://127.0.0.1:8089/")!) }
        #expect(throws: CrawlError.self) { try tests.check(url: URL(string: "http://2130706433:8088/")!) }
    }

    @Test func addressesParseAsResolversReadThem() {
        #expect(IPAddress(host: "127.1") == .v4(0x7F00_0001))
        #expect(IPAddress(host: "0x7f.1") == .v4(0x7F00_0001))
        #expect(IPAddress(host: "1.2.3.4.5") == nil && IPAddress(host: "256.1.1.1") == nil)
        #expect(IPAddress(host: "example.org") == nil && IPAddress(host: "08.1.1.1") == nil)
        #expect(IPAddress(host: "[::ffff:1.2.3.4]")?.embeddedIPv4 == 0x0102_0304)
        #expect(IPAddress(host: "::1")?.embeddedIPv4 == nil && IPAddress(host: "fe80::1%eth0") == nil)
        #expect(IPAddress(host: "1:2:3:4:5:6:7:8:9") == nil && IPAddress(host: "1::2::3") == nil)
        #expect(IPAddress(host: "2001:db8::1")?.description == "2001:db8:0:0:0:0:0:1")
    }
}
