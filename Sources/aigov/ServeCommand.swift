import APIServer
import ArgumentParser
import Documents
import Foundation
import Hummingbird
import Knowledge
import LiveWeb
import Logging
import Origins
import Qdrant
import Retrieval
import Settings
import Store

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP API, the ask page and the API docs.",
        discussion: """
            Settings come from the environment (ENVIRONMENT, SECRET_KEY, GROQ_*, CORS_ORIGINS, LOG_LEVEL, \
            LOG_FORMAT, RATE_LIMIT_PER_MINUTE, FORWARDED_ALLOW_IPS, QDRANT_*, RETRIEVAL_BACKEND, ...). With \
            QDRANT_URL set, a background task pushes the Qdrant outbox. In production the server refuses a \
            missing or short SECRET_KEY; elsewhere, without SECRET_KEY, it signs tokens with a random key it creates \
            in the data directory (secret_key, mode 0600) at first start. There is no built-in account: create one with `aigov admin create`. \
            SIGINT or SIGTERM stops it gracefully.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Option(help: "Address to listen on (default: $HOST, else 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: $PORT, else 8000).")
    var port: Int?

    @Option(help: "When the store has no documents, ingest this folder first (progress on stderr).")
    var ingestIfEmpty: String?

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        var settings: ServerConfiguration
        do {
            settings = try ServerConfiguration(variables: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            throw CLIError("configuration: \(error)")
        }
        if let host { settings.host = host }
        if let port { settings.port = port }
        let logSettings = settings
        LoggingSystem.bootstrap { label in logSettings.makeLogHandler(label: label) }
        let logger = Logger(label: "aigov")

        let base = try await openKnowledgeBase(data, model, options: RerankerSettings.apply(threads: model.threads))
        if let stage = base.options.reranking {
            let directory = ProcessInfo.processInfo.environment["RERANKER_MODEL_DIR"] ?? ""
            logger.info(
                "reranking",
                metadata: ["reranker_model_dir": .string(directory), "top_n": .stringConvertible(stage.topN)])
        }
        if settings.secretKey == nil {
            settings.secretKey = try signingKey(logger: logger)
        }
        let configuration = settings
        if let folder = ingestIfEmpty, try await base.store.counts().documents == 0 {
            try await ingestFirst(folder, into: base)
        }
        let mirror: QdrantMirror?
        do {
            mirror = try configuration.qdrant.map {
                QdrantMirror(knowledgeBase: base, client: try QdrantClient(configuration: $0))
            }
        } catch {
            throw CLIError("configuration: \(error)")
        }
        let crawlSettings: CrawlSettings
        let environment = EnvironmentValues()
        do {
            crawlSettings = try CrawlSettings(environment)
            _ = try LiveWebSettings(environment)
        } catch {
            throw CLIError("configuration: \(error)")
        }
        let store = base.store
        let scheduler = OriginScheduler(
            knowledgeBase: base, settings: crawlSettings,
            settingsSource: { try await PlatformSettings.current(environment, store: store).crawl })
        let application = try await buildApplication(
            configuration: configuration, knowledgeBase: base, store: base.store, chat: configuration.chat,
            logger: logger, mirror: mirror, scheduler: scheduler)
        logger.info(
            "starting",
            metadata: [
                "host": .string(configuration.host), "port": .stringConvertible(configuration.port),
                "environment": .string(configuration.environment.rawValue),
                "llm": .string(
                    configuration.chat.map { URLComponents(string: $0.baseURL)?.host ?? "configured" } ?? "none"),
                "index_vectors": .stringConvertible(base.index.count),
            ])
        if (try? await base.store.users().isEmpty) == true {
            logger.notice("no users yet: create an admin with `aigov admin create --username NAME --password-stdin`")
        }
        // The mirror pushes the outbox in the background; serving never waits for Qdrant.
        let interval = configuration.qdrantSyncInterval
        let mirrorTask = mirror.map { mirror in
            Task {
                await mirror.run(interval: interval) { error in
                    logger.warning("qdrant sync failed; will retry", metadata: ["error": .string(error)])
                }
            }
        }
        if let qdrant = configuration.qdrant {
            logger.info(
                "qdrant mirror started",
                metadata: [
                    "qdrant": .string(qdrant.hostForMessages), "collection": .string(qdrant.collection),
                    "backend": .string(configuration.retrievalBackend.rawValue),
                ])
        }
        // Other replicas' commits reach this one's index through the store's change feed; a stateless replica has
        // no index to follow with (Qdrant holds it).
        let followTask = Task {
            guard base.options.localIndex else { return }
            await base.followStore(every: configuration.feedPollInterval, retention: configuration.feedRetention) {
                error in
                logger.warning("following the store failed; will retry", metadata: ["error": .string(error)])
            }
        }
        // Due origins are crawled in the background, one replica per origin (the store's lease).
        let schedulerTask = crawlSettings.schedulerInterval.map { interval in
            Task {
                await scheduler.run(every: interval) { error in
                    logger.warning("origin scheduler failed; will retry", metadata: ["error": .string(error)])
                }
            }
        }
        try await application.runService()
        schedulerTask?.cancel()
        followTask.cancel()
        await followTask.value
        mirrorTask?.cancel()
        await mirrorTask?.value
        try? await base.checkpoint()
        await closeMetadataStore(base.store)
    }

    /// The key file of the data directory (created at first start), for a server without `SECRET_KEY`.
    private func signingKey(logger: Logger) throws -> String {
        let loaded: SigningKeyFile.Loaded
        do {
            loaded = try SigningKeyFile.loadOrCreate(in: data.dataDirectory)
        } catch let error as ConfigurationError {
            throw CLIError("configuration: \(error)")
        }
        let path = data.dataDirectory.appendingPathComponent(SigningKeyFile.fileName).path
        if loaded.created {
            logger.notice(
                "SECRET_KEY is not set: generated a random signing key",
                metadata: [
                    "key_file": .string(path),
                    "hint": "give every replica the same SECRET_KEY (or a copy of this file); production requires it",
                ])
        } else {
            logger.info("SECRET_KEY is not set: signing with the key file", metadata: ["key_file": .string(path)])
        }
        if loaded.tightenedPermissions {
            logger.warning("the key file was readable by other users; restricted it to its owner (0600)")
        }
        return loaded.key
    }

    private func ingestFirst(_ folder: String, into base: KnowledgeBase) async throws {
        let files: [URL]
        let manifests: [String: CorpusManifest]
        do {
            files = try InputCollector.files([folder])
            manifests = try CorpusManifest.manifests(for: files)
        } catch let error as IngestError {
            throw CLIError(error.message)
        }
        printError("the store is empty: ingesting \(files.count) files from \(folder) first")
        let printer = IngestProgressPrinter()
        let summary = await base.ingest(files: files, manifests: manifests, progress: printer.report)
        printer.finish(summary)
    }
}
