import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import Testing

@testable import APIServer

#if canImport(Glibc)
    import Glibc
#endif

/// Slowloris: connections that never finish their headers or body, or sit idle, are closed by their deadline
/// while the server goes on answering others.
@Suite struct ConnectionDeadlineTests {
    static let variables = [
        "HTTP_HEADER_TIMEOUT_SECONDS": "1", "HTTP_BODY_TIMEOUT_SECONDS": "2", "HTTP_IDLE_TIMEOUT_SECONDS": "2",
    ]

    @Test func slowHeadersSlowBodiesAndIdleConnectionsAreClosed() async throws {
        let library = try await TestLibrary.shared()
        let configuration = try TestLibrary.configuration(Self.variables)
        try await library.application(configuration).test(.live) { client in
            let port = try #require(client.port)
            let head = Array("POST /api/search/retrieve HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".utf8)
            let body = Array(
                "POST /api/search/retrieve HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"query\": "
                    .utf8)
            // A byte every 0.3 s: a deadline reset by each byte (an idle timer) would never fire.
            async let slowHead = RawConnection.secondsUntilClosed(port: port, prefix: head, trickle: 0x61, limit: 12)
            async let slowBody = RawConnection.secondsUntilClosed(port: port, prefix: body, trickle: 0x20, limit: 12)
            async let idle = RawConnection.secondsUntilClosed(port: port, prefix: [], trickle: nil, limit: 12)
            // Meanwhile the server answers.
            for _ in 0..<3 {
                let response = try await client.send(.post, "/api/search/retrieve", body: #"{"query": "AI policy"}"#)
                #expect(response.status == .ok)
            }
            let (headSeconds, bodySeconds, idleSeconds) = try await (slowHead, slowBody, idle)
            #expect(headSeconds != nil, "a connection trickling its headers was never closed")
            #expect(bodySeconds != nil, "a connection trickling its body was never closed")
            #expect(idleSeconds != nil, "an idle connection was never closed")
        }
    }

    @Test func aKeptAliveConnectionServesRequestsWithinTheIdleTime() async throws {
        let library = try await TestLibrary.shared()
        try await library.application(try TestLibrary.configuration(Self.variables)).test(.live) { client in
            for _ in 0..<3 {
                #expect(try await client.send(.get, "/health").status == .ok)
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}

/// A raw TCP client for deadline tests.
enum RawConnection {
    /// Connects to 127.0.0.1:`port`, writes `prefix`, then writes `trickle` one byte every 0.3 s until the
    /// server closes the connection; the seconds that took, or nil when still open after `limit` seconds.
    static func secondsUntilClosed(port: Int, prefix: [UInt8], trickle: UInt8?, limit: Double) async throws -> Double? {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result { try run(port: port, prefix: prefix, trickle: trickle, limit: limit) })
            }
        }
    }

    struct SocketError: Error { var call: String }

    private static func run(port: Int, prefix: [UInt8], trickle: UInt8?, limit: Double) throws -> Double? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(call: "socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw SocketError(call: "connect") }
        let start = Date()
        if !prefix.isEmpty, send(descriptor, prefix, prefix.count, Int32(MSG_NOSIGNAL)) != prefix.count {
            return 0
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(start) < limit {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 300) > 0 {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                // 0: the server closed; < 0: reset. Bytes (an error response) are read past.
                if count <= 0 { return Date().timeIntervalSince(start) }
                continue
            }
            if var byte = trickle, send(descriptor, &byte, 1, Int32(MSG_NOSIGNAL)) < 0 {
                return Date().timeIntervalSince(start)
            }
        }
        return nil
    }
}

/// The deadline handler's phases on an embedded channel, with virtual time: no test waits for a real clock.
@Suite struct ConnectionDeadlineHandlerTests {
    static let timeouts = ConnectionTimeouts(header: .seconds(1), body: .seconds(2), idle: .seconds(3))

    static func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ConnectionDeadlineHandler(timeouts: timeouts))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8000)).wait()
        return channel
    }

    static func report(_ progress: RequestProgress, _ channel: EmbeddedChannel) {
        channel.pipeline.triggerUserOutboundEvent(progress, promise: nil)
    }

    @Test func eachPhaseHasItsDeadline() throws {
        let idle = try Self.channel()
        idle.embeddedEventLoop.advanceTime(by: .milliseconds(2900))
        #expect(idle.isActive)
        idle.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!idle.isActive)

        let header = try Self.channel()
        try header.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost"))
        header.embeddedEventLoop.advanceTime(by: .milliseconds(1100))
        #expect(!header.isActive)

        let body = try Self.channel()
        try body.writeInbound(ByteBuffer(string: "POST / HTTP/1.1\r\n"))
        Self.report(.headRead, body)
        body.embeddedEventLoop.advanceTime(by: .milliseconds(1900))
        #expect(body.isActive)
        body.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!body.isActive)
    }

    @Test func aRequestBeingHandledIsNeverCut() throws {
        let channel = try Self.channel()
        try channel.writeInbound(ByteBuffer(string: "POST /api/content/upload HTTP/1.1\r\n"))
        Self.report(.headRead, channel)
        Self.report(.requestRead, channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(600))
        #expect(channel.isActive)
        Self.report(.responseSent, channel)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(3100))
        #expect(!channel.isActive)
    }

    /// Two pipelined requests: the first one's response must not start the idle deadline while the second
    /// is still being handled.
    @Test func aPipelinedRequestKeepsTheConnectionWhileHandled() throws {
        let channel = try Self.channel()
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"))
        for progress in [RequestProgress.headRead, .requestRead, .headRead, .requestRead, .responseSent] {
            Self.report(progress, channel)
        }
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        Self.report(.responseSent, channel)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(3100))
        #expect(!channel.isActive)
    }
}
