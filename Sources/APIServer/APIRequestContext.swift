import Hummingbird
import Logging
import Store

/// The per-request context: Hummingbird's core storage plus the client's address, the request id and the
/// authenticated user, which middleware fills in for the handlers.
public struct APIRequestContext: RequestContext {
    /// Hummingbird's own per-request storage (logger, route parameters, matched route).
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, the key of per-client rate limits: the TCP peer, or the address a trusted proxy
    /// forwarded (``TrustedProxies``); nil for in-process test requests.
    public internal(set) var clientAddress: String?
    /// The `X-Request-Id` of this request (the client's when it sent a usable one).
    public internal(set) var requestID: String = ""
    /// The user an authentication check accepted.
    public internal(set) var user: User?

    /// A context for a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are read by the handlers with their own caps (JSON 1 MB, uploads 50 MB); this bounds only
    /// Hummingbird's own decoding helpers, which the API does not use.
    public var maxUploadSize: Int { 1 << 20 }

    /// The key per-client limits count under (an IPv6 client by its /64, see ``ClientKey``).
    var clientKey: String { ClientKey.make(address: clientAddress) }
}
