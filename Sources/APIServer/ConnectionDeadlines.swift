import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// How long a connection may take over each part of reading a request (see ``ConnectionDeadlineHandler``).
public struct ConnectionTimeouts: Sendable, Equatable {
    /// From the first byte of a request until its header block is complete.
    public var header: Duration
    /// From the end of the headers until the whole body has arrived.
    public var body: Duration
    /// With no request in progress, before the connection is closed.
    public var idle: Duration

    public init(header: Duration, body: Duration, idle: Duration) {
        self.header = header
        self.body = body
        self.idle = idle
    }
}

/// Hummingbird's HTTP/1 channel with read deadlines on every connection.
///
/// Hummingbird's own idle timeout is reset by every decoded part, so a client trickling one body byte at a
/// time, or header bytes that never complete, holds a connection for ever (slowloris). Here a deadline runs
/// for each phase of reading a request as a whole: a handler at the front of the pipeline sees the first raw
/// byte of a request, a handler after the HTTP decoder sees the head and the end of the request and the end of
/// the response, and tells the front one through outbound user events. While a request is being handled (an
/// upload being ingested, an answer being streamed) no deadline runs.
struct DeadlineHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel
    let timeouts: ConnectionTimeouts

    init(responder: @escaping HTTPChannelHandler.Responder, timeouts: ConnectionTimeouts) {
        inner = HTTP1Channel(
            responder: responder, configuration: .init(additionalChannelHandlers: [RequestProgressHandler()]))
        self.timeouts = timeouts
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // Hummingbird calls this on the channel's event loop (its own setup uses the synchronous pipeline too).
        let timeouts = timeouts
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                ConnectionDeadlineHandler(timeouts: timeouts), position: .first)
        }.flatMap { inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// What ``RequestProgressHandler`` reports to ``ConnectionDeadlineHandler``.
enum RequestProgress: Sendable {
    case headRead
    case requestRead
    case responseSent
}

/// Sits after the HTTP decoder and reports the head and end of each request and the end of each response.
final class RequestProgressHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(RequestProgress.headRead, promise: nil)
        case .end: context.triggerUserOutboundEvent(RequestProgress.requestRead, promise: nil)
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if isEnd { context.triggerUserOutboundEvent(RequestProgress.responseSent, promise: nil) }
    }
}

/// The first handler of the pipeline: keeps one deadline per connection and closes the connection when it
/// passes.
///
/// Phases: idle (no request; `idle`) -> a byte arrives (`header`) -> the head is decoded (`body`) -> the
/// request has been read (no deadline while the handler works) -> the response has been sent (idle again).
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase { case idle, header, body, handling }

    private let timeouts: ConnectionTimeouts
    private var phase = Phase.idle
    private var deadline: Scheduled<Void>?
    /// Requests whose head has arrived and whose response has not ended: more than one when a client pipelines.
    private var unanswered = 0
    private var readingBody = false

    init(timeouts: ConnectionTimeouts) {
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { enter(.idle, context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    func channelActive(context: ChannelHandlerContext) {
        if deadline == nil { enter(.idle, context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if phase == .idle { enter(.header, context) }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let progress = event as? RequestProgress else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch progress {
        case .headRead:
            unanswered += 1
            readingBody = true
            enter(.body, context)
        case .requestRead:
            readingBody = false
            enter(.handling, context)
        case .responseSent:
            unanswered = max(0, unanswered - 1)
            // A pipelined request still reading its body keeps its deadline; one being handled keeps none.
            if !readingBody { enter(unanswered > 0 ? .handling : .idle, context) }
        }
        promise?.succeed(())
    }

    private func enter(_ next: Phase, _ context: ChannelHandlerContext) {
        cancel()
        phase = next
        let limit: Duration
        switch next {
        case .idle: limit = timeouts.idle
        case .header: limit = timeouts.header
        case .body: limit = timeouts.body
        case .handling: return
        }
        let loop = context.eventLoop.assumeIsolated()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = loop.scheduleTask(in: TimeAmount(limit)) {
            bound.value.close(promise: nil)
        }
    }

    private func cancel() {
        deadline?.cancel()
        deadline = nil
    }
}
