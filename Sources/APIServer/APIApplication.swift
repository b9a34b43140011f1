import Answering
import Foundation
import Hummingbird
import HummingbirdCore
import Knowledge
import Logging
import Origins
import Qdrant
import Retrieval
import Settings
import Store

/// Builds the HTTP application (ARCHITECTURE.md section 8) over an opened knowledge base and store.
///
/// The caller owns the knowledge base and store (and their data directory lock) and keeps them open while
/// the application runs; run it with `runService()` for graceful shutdown on SIGINT and SIGTERM.
///
/// - Parameters:
///   - configuration: the server settings (`ServerConfiguration(variables:)`); host and port are bound from it.
///   - chat: the model to answer with; nil gives extractive answers (normally `configuration.chat`).
///   - logger: the server's logger; each request's lines carry its `X-Request-Id`.
///   - mirror: the Qdrant mirror whose loop the caller runs, reported by `/api/admin/health`.
/// - Throws: `AnsweringError` `invalid_configuration` when `chat` cannot be used, `QdrantError` when the Qdrant
///   settings cannot be used, ``ConfigurationError`` when `configuration.secretKey` is nil or short (`aigov serve`
///   fills it from ``SigningKeyFile`` when `SECRET_KEY` is unset).
public func buildApplication(
    configuration: ServerConfiguration, knowledgeBase: KnowledgeBase, store: any MetadataStore,
    chat: ChatConfiguration?, logger: Logger, mirror: QdrantMirror? = nil, scheduler: OriginScheduler? = nil
) async throws -> some ApplicationProtocol {
    try await buildApplication(
        configuration: configuration, knowledgeBase: knowledgeBase, store: store, chat: chat, logger: logger,
        mirror: mirror, scheduler: scheduler, passwords: PasswordWork())
}

/// Where an application's password hashes run and how costly new ones are.
///
/// A server uses the process's ``HashingPool/shared`` and the production cost. Tests give an application a pool
/// of its own when they count on its logins being answered promptly: on the shared pool, whose threads run at
/// nice 10, another suite's 600,000-round hashes queued ahead of them on a loaded 2-core machine and a login
/// waited past the test client's 20-second timeout.
struct PasswordWork: Sendable {
    var pool: HashingPool = .shared
    /// The hasher of passwords set through the API; verification reads each stored hash's own cost.
    var hasher = PasswordHasher()
}

func buildApplication(
    configuration: ServerConfiguration, knowledgeBase: KnowledgeBase, store: any MetadataStore,
    chat: ChatConfiguration?, logger: Logger, mirror: QdrantMirror?, scheduler: OriginScheduler?,
    passwords: PasswordWork
) async throws -> some ApplicationProtocol {
    let client = try chat.map { try ChatClient(configuration: $0) }
    guard let secret = configuration.secretKey else {
        throw ConfigurationError(
            variable: "SECRET_KEY", message: "not set and no key file was read (see SigningKeyFile.loadOrCreate)")
    }
    let tokens = try await TokenService.make(secret: secret, minutes: configuration.accessTokenMinutes)
    let search = try SearchService(knowledgeBase: knowledgeBase, qdrant: configuration.searchQdrant)
    let state = ServerState(
        configuration: configuration, knowledgeBase: knowledgeBase, store: store,
        answerer: .over(knowledgeBase, chat: client),
        tokens: tokens, logger: logger, mirror: mirror, search: search, scheduler: scheduler, passwords: passwords)
    let timeouts = configuration.connectionTimeouts
    return Application(
        router: buildRouter(state),
        server: HTTPServerBuilder { responder in DeadlineHTTP1Channel(responder: responder, timeouts: timeouts) },
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "aigov"),
        logger: logger)
}

/// The router with every route of ``APIContract`` and the middleware; the order of `add(middleware:)` is
/// outermost first.
func buildRouter(_ state: ServerState) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: ClientAddressMiddleware(proxies: state.configuration.trustedProxies))
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: AccessLogMiddleware(metrics: state.metrics))
    router.add(middleware: CORSPolicyMiddleware(origins: state.configuration.corsOrigins))
    router.add(middleware: ErrorMiddleware())

    // One group per access level: a group's middleware runs only for the routes added through it.
    let search = router.group().add(middleware: RateLimitMiddleware(limiter: state.searchLimiter))
    let signedIn = router.group().add(middleware: AuthMiddleware(state: state, role: nil))
    let admin = router.group().add(middleware: AuthMiddleware(state: state, role: .admin))
    let handlers = RouteHandlers(state: state)
    for route in APIContract.routes {
        let handler = handlers.handler(for: route.operation)
        switch route.access {
        case .open: router.on(RouterPath(route.path), method: route.method, use: handler)
        case .searchRateLimited: search.on(RouterPath(route.path), method: route.method, use: handler)
        case .signedIn: signedIn.on(RouterPath(route.path), method: route.method, use: handler)
        case .admin: admin.on(RouterPath(route.path), method: route.method, use: handler)
        }
    }
    return router
}
