import AigovTestSupport
import Answering
import Documents
import EmbedCache
import Foundation
import Hummingbird
import Knowledge
import Logging
import Origins
import Store

@testable import APIServer

/// One knowledge base for the whole test process: a temporary data directory with a real SQLite store, the
/// real embedding model behind its persistent cache, and the US executive order fixture ingested. Tests add
/// documents under unique ids, so they can share it; each test builds its own application (limits and
/// metrics are per application).
final class TestLibrary: Sendable {
    let directory: URL
    let store: SQLiteStore
    let knowledgeBase: KnowledgeBase
    let admin: User
    let viewer: User
    /// The admins' and viewers' password.
    static let password = "correct horse battery staple"
    /// The signing key of every test application (a fresh one per test process, as `aigov serve` would make).
    static let secret = "aigov-test-key-" + UUID().uuidString
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let eoFixture = root.appendingPathComponent(
        "fixtures/governance/us-eo-14179_removing-barriers-american-ai-leadership_2025-01-23.md")
    static let eoDocumentID = "us-eo-14179"

    private init(directory: URL, store: SQLiteStore, knowledgeBase: KnowledgeBase, admin: User, viewer: User) {
        self.directory = directory
        self.store = store
        self.knowledgeBase = knowledgeBase
        self.admin = admin
        self.viewer = viewer
    }

    private static let sharedTask = Task { try await TestLibrary.make() }

    /// The shared library, built on first use.
    static func shared() async throws -> TestLibrary { try await sharedTask.value }

    /// A library of its own (fresh data directory, the executive order only), for tests whose answers must not
    /// see what other tests add to the shared one.
    static func make() async throws -> TestLibrary {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let modelDirectory = ModelLocator.modelDirectory(
            explicit: root.appendingPathComponent(ModelLocator.relativeDefault).path)
        // Loading the weights blocks for a while: off the cooperative pool the other suites share.
        let bert = try await offThePool { try BertEmbedder(modelDirectory: modelDirectory, threads: 1) }
        let cache = try EmbeddingCache(
            directory: directory.appendingPathComponent("embeddings"), fingerprint: bert.fingerprint,
            dimension: bert.dimension)
        let store = try await SQLiteStore.open(path: directory.appendingPathComponent("aigov.sqlite").path)
        let (base, _) = try await KnowledgeBase.open(
            dataDirectory: directory, store: store, embedder: try CachedEmbedder(base: bert, cache: cache),
            tokenCounter: bert.tokenizer)
        _ = try await base.ingest(
            fileAt: eoFixture, options: DocumentLoader.Options(id: eoDocumentID, source: "Federal Register"))
        // Few rounds: verification reads the count from the stored hash, and 600,000 rounds per login (the
        // production default, tested in AuthTests) would load the CPU the other suites' timing tests share.
        let hash = try PasswordHasher(iterations: 1_000).hash(password)
        let admin = try await store.createUser(NewUser(username: "admin-test", passwordHash: hash, role: .admin))
        let viewer = try await store.createUser(
            NewUser(username: "viewer-test", email: "viewer@example.org", passwordHash: hash, role: .viewer))
        return TestLibrary(directory: directory, store: store, knowledgeBase: base, admin: admin, viewer: viewer)
    }

    /// Settings for a test server; `variables` override the development defaults.
    static func configuration(_ variables: [String: String] = [:]) throws -> ServerConfiguration {
        // Many tests log in from the one in-process address; the login limits have tests of their own.
        var all = ["LOG_LEVEL": "warning", "SECRET_KEY": secret, "LOGIN_RATE_LIMIT_PER_MINUTE": "100000"]
        all.merge(variables) { _, new in new }
        return try ServerConfiguration(variables: all)
    }

    /// An application over the shared library.
    func application(
        _ configuration: ServerConfiguration? = nil, chat: ChatConfiguration? = nil, scheduler: OriginScheduler? = nil,
        passwords: PasswordWork = PasswordWork()
    ) async throws -> some ApplicationProtocol {
        let settings = try configuration ?? Self.configuration()
        var logger = Logger(label: "aigov-test")
        logger.logLevel = settings.logLevel
        return try await buildApplication(
            configuration: settings, knowledgeBase: knowledgeBase, store: store, chat: chat, logger: logger,
            mirror: nil, scheduler: scheduler, passwords: passwords)
    }

    /// A bearer token for `user`, signed with the test applications' key.
    func token(for user: User, secret: String = TestLibrary.secret) async throws -> String {
        try await TokenService.make(secret: secret, minutes: 30).issue(for: user)
    }
}
