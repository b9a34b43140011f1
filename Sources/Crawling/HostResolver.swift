import ConcurrencySupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Turns a host name into the addresses a fetch may connect to. The fetcher asks once per hop and connects to
/// the address it checked, so what a resolver answers is what the guard judges.
public protocol HostResolver: Sendable {
    /// The addresses of `host`, in the order to try them.
    func addresses(of host: String, port: Int) async throws(CrawlError) -> [IPAddress]
}

/// The system resolver (`getaddrinfo`, off the cooperative pool).
public struct SystemResolver: HostResolver {
    public init() {}

    public func addresses(of host: String, port: Int) async throws(CrawlError) -> [IPAddress] {
        let found: [IPAddress]
        do {
            found = try await blocking { try Self.lookup(host, port: port) }
        } catch let error as CrawlError {
            throw error
        } catch {
            throw CrawlError(.networkError, "\(host) did not resolve")
        }
        return found
    }

    static func lookup(_ host: String, port: Int) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw CrawlError(.networkError, "\(host) did not resolve")
        }
        defer { freeaddrinfo(first) }
        var result: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let address = current.pointee.ai_addr {
                switch Int32(current.pointee.ai_family) {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        result.append(.v4(UInt32(bigEndian: pointer.pointee.sin_addr.s_addr)))
                    }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        let bytes = withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                        result.append(.v6(bytes))
                    }
                default:
                    break
                }
            }
            node = current.pointee.ai_next
        }
        var seen = Set<IPAddress>()
        return result.filter { seen.insert($0).inserted }
    }
}
