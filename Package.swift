// swift-tools-version:6.0
import PackageDescription

// Release builds for benchmarks add `-Xswiftc -target-cpu -Xswiftc haswell` (see README, "Build flags"):
// without a target CPU, `SIMD.addingProduct` lowers to per-lane `fmaf` calls. The default stays portable.
// The encoder and the index are optimised in debug builds too: unoptimised, the encoder embeds about one chunk
// per second, which would make every test that ingests a real document take minutes. `-O` is an unsafe flag,
// which SwiftPM refuses in a package used as a dependency; aigov is an application and offers no library
// product, so nothing depends on these targets from outside (the modules are its internal layers).
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "aigov",
    // macOS 15: `Synchronization.Mutex`.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "aigov", targets: ["aigov"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        // jwt-kit 5 needs swift-crypto 4; the API aigov uses is the same in 3 and 4.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        // postgres-nio's TLS configuration type; already in the graph through async-http-client.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.27.0"),
        // The connection read deadlines are a NIO channel handler (NIOCore) over HTTP parts (NIOHTTPTypes); both
        // are already in the graph through Hummingbird.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
        // Gzip sitemaps (issue 17): zlib's inflate behind a ByteBuffer API, rather than a hand-written binding.
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        // OpenBLAS's cblas.h. Linked as `openblas` on purpose: the generic `blas` may resolve to netlib's
        // reference implementation, which is correct but ~17x slower and gives no warning.
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Work off the cooperative pool, gates and locks: what the other modules share for running things.
        .target(name: "ConcurrencySupport", swiftSettings: optimizedInDebug),
        .target(
            name: "EmbedCache",
            dependencies: [
                "CBLAS",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimizedInDebug
        ),
        // Tokenizer, stemmer, the learner-to-legal vocabulary, document names and provision labels: the rules
        // for reading text that ranking and answering share (Foundation only).
        .target(name: "TextAnalysis", swiftSettings: optimizedInDebug),
        // Fetching governance sources from the web (issue 17): the SSRF guard, canonical URLs, robots.txt.
        .target(
            name: "Crawling",
            dependencies: [
                "ConcurrencySupport", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]),
        .target(
            name: "Retrieval",
            dependencies: [
                "CBLAS", "ConcurrencySupport", "TextAnalysis", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimizedInDebug
        ),
        // The Qdrant adapter: the REST client (requests, models, point ids, errors), the mirror that pushes the
        // store's outbox to the collection, the retriever that ranks from it, and SearchService, the one place
        // where "local index or Qdrant" is chosen.
        .target(
            name: "Qdrant",
            dependencies: [
                "ConcurrencySupport", "Retrieval", "Documents", "Knowledge", "Store", "TextAnalysis",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Store",
            dependencies: [
                "ConcurrencySupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // The pool's own error type (a failed connection attempt surfaces as it, not as a PSQLError); built
                // as part of PostgresNIO already.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Reading documents: loaders (PDF in a child process, HTML, Markdown, text, JSON), the structure parser
        // and the chunker; file bytes to chunks, with no index or database.
        .target(
            name: "Documents",
            dependencies: ["EmbedCache", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The knowledge base: the open index, store and embedder, and its stages (ingest, search, continuation,
        // maintenance and repair).
        .target(
            name: "Knowledge",
            dependencies: [
                "ConcurrencySupport", "Documents", "EmbedCache", "TextAnalysis", "Retrieval", "Store",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Ranking metrics, BEIR files and question sets: pure Foundation, so its tests build in seconds.
        .target(name: "Evaluation"),
        .target(
            name: "Answering",
            dependencies: [
                "ConcurrencySupport", "TextAnalysis", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The settings `aigov serve` and the commands share, read from the environment (ARCHITECTURE.md section
        // 10): search (Qdrant, backend, caches, reranking), ranking and the chat model.
        .target(
            name: "Settings",
            dependencies: [
                "Answering", "Qdrant", "Retrieval", "TextAnalysis", "Origins", "LiveWeb", "Store", "ConcurrencySupport",
            ]),
        .target(
            name: "APIServer",
            dependencies: [
                "ConcurrencySupport", "Settings", "EmbedCache", "Retrieval", "Qdrant", "Documents", "Knowledge",
                "Store",
                "Answering", "Origins", "LiveWeb", "Crawling", "TextAnalysis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "aigov",
            dependencies: [
                "Settings", "EmbedCache", "TextAnalysis", "Retrieval", "Qdrant", "Documents", "Knowledge", "Store",
                "Answering",
                "APIServer", "Evaluation", "Origins", "Crawling", "LiveWeb", "Backup",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Child process of the Retrieval crash-safety test: performs writes, stops at a named write point.
        .executableTarget(
            name: "retrieval-crash-writer", dependencies: ["Retrieval"], path: "Tests/Support/RetrievalCrashWriter"),
        // What several test targets share: launchers for the peers (llama-server, the Python test servers).
        .target(name: "AigovTestSupport", dependencies: ["Documents"], path: "Tests/Support/AigovTestSupport"),
        // A store that fails chosen operations, for the Knowledge and Qdrant tests.
        .target(name: "StoreDoubles", dependencies: ["Store"], path: "Tests/Support/StoreDoubles"),
        .testTarget(
            name: "ConcurrencySupportTests", dependencies: ["ConcurrencySupport", "Documents", "AigovTestSupport"]),
        .testTarget(name: "EmbedCacheTests", dependencies: ["EmbedCache"]),
        .testTarget(name: "TextAnalysisTests", dependencies: ["TextAnalysis"]),
        .testTarget(name: "CrawlingTests", dependencies: ["Crawling", "AigovTestSupport"]),
        // Origins fetched on a schedule (issue 17): the crawl of one origin and the scheduler; above Crawling,
        // Knowledge and Store.
        .target(
            name: "Origins",
            dependencies: [
                "Crawling", "Knowledge", "Store", "Documents", "ConcurrencySupport",
            ]),
        // The live web fallback (issue 17): search providers, and passages of pages fetched through the guard for
        // one query, never stored.
        .target(
            name: "LiveWeb",
            dependencies: [
                "Crawling", "Knowledge", "Documents", "ConcurrencySupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        // Backups of a data directory (issue 18): consistent snapshots, verification and restore.
        .target(
            name: "Backup",
            dependencies: [
                "Store", "Knowledge", "Documents", "ConcurrencySupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(
            name: "OriginsTests",
            dependencies: ["Origins", "Crawling", "Knowledge", "Store", "Documents", "EmbedCache", "AigovTestSupport"]),
        .testTarget(name: "SettingsTests", dependencies: ["Settings", "Retrieval", "Origins", "LiveWeb"]),
        .testTarget(name: "RetrievalTests", dependencies: ["Retrieval", "TextAnalysis", "Documents"]),
        // The governance fixtures, loaded and chunked once per test process, for the Documents and Knowledge tests.
        .target(
            name: "DocumentFixtures", dependencies: ["Documents", "EmbedCache"], path: "Tests/Support/DocumentFixtures"),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "DocumentFixtures", "EmbedCache"]),
        .testTarget(
            name: "KnowledgeTests",
            dependencies: [
                "Documents", "DocumentFixtures", "Knowledge", "Store", "Retrieval", "EmbedCache", "Evaluation",
                "StoreDoubles",
            ]),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation"]),
        .testTarget(
            name: "AnsweringTests", dependencies: ["Answering", "TextAnalysis", "AigovTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "APIServerTests",
            dependencies: [
                "APIServer", "Settings", "EmbedCache", "Retrieval", "Documents", "Knowledge", "Store", "Answering",
                "AigovTestSupport", "Origins",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "aigovTests",
            dependencies: [
                "aigov", "Store", "Documents", "AigovTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Qdrant client, mirror and backend against Tests/Support/qdrant_local_server.py (qdrant-client's local
        // mode); scripts/qdrant-test-setup installs its Python dependency.
        .testTarget(
            name: "QdrantTests",
            dependencies: [
                "Retrieval", "Qdrant", "Documents", "Knowledge", "Store", "EmbedCache", "APIServer", "Settings",
                "AigovTestSupport", "StoreDoubles",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
