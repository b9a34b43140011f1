import Documents
import EmbedCache
import Foundation

/// Shared test inputs of `DocumentsTests` and `KnowledgeTests`: the real governance fixtures and the encoder's
/// tokenizer.
public enum Fixtures {
    /// The checkout, from this file's place in it (Tests/Support/DocumentFixtures).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    public static let governance = root.appendingPathComponent("fixtures/governance")

    /// The bundled corpus, for documents too big to copy into `fixtures/`.
    public static let corpus = root.appendingPathComponent("corpus")

    /// A fixture by file name: from `fixtures/governance`, else from `corpus/`.
    public static func url(_ name: String) -> URL {
        let fixture = governance.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: fixture.path) ? fixture : corpus.appendingPathComponent(name)
    }

    public static let aiActPDF = "eu-ai-act_regulation-2024-1689_oj.pdf"
    public static let aiActHTML = "eu-ai-act_regulation-2024-1689_eurlex.html"
    public static let rmfPDF = "nist-ai-100-1_ai-rmf-1.0.pdf"
    public static let eo14179 = "us-eo-14179_removing-barriers-american-ai-leadership_2025-01-23.md"
    /// NIST AI 800-1, initial public draft: a draft with margin line numbers (in `corpus/` only).
    public static let misusePDF = "nist-ai-800-1-ipd_managing-misuse-risk-dual-use-foundation-models.pdf"
    /// NIST SP 1270 (bias in AI): a glossary, then a reference list under a lone "References" line (in `corpus/`
    /// only).
    public static let biasPDF = "nist-sp-1270_bias-in-ai.pdf"
    /// The NIST AI RMF Playbook: a "References" part in every subcategory (in `corpus/` only).
    public static let playbookPDF = "nist-ai-rmf-playbook.pdf"
    /// The Blueprint for an AI Bill of Rights: headings in capitals only (in `corpus/` only).
    public static let blueprintPDF = "us-ostp-blueprint-for-an-ai-bill-of-rights_2022.pdf"

    /// The all-MiniLM-L6-v2 tokenizer that production counts with.
    public static let tokenizer: WordPieceTokenizer? = {
        let directory = ModelLocator.modelDirectory(
            explicit: root.appendingPathComponent(ModelLocator.relativeDefault).path)
        return try? WordPieceTokenizer(modelDirectory: directory)
    }()

    /// Loading and chunking the big fixtures takes seconds; each is done once per test process.
    public static let cache = FixtureCache()
}

/// Memoises loaded and chunked fixtures across tests (the suites run in parallel).
public final class FixtureCache: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var documents: [String: Document] = [:]
    nonisolated(unsafe) private var chunks: [String: [Chunk]] = [:]

    public func document(_ name: String) throws -> Document {
        lock.lock()
        defer { lock.unlock() }
        if let document = documents[name] { return document }
        let document = try DocumentLoader().load(fileAt: Fixtures.url(name))
        documents[name] = document
        return document
    }

    public func chunks(_ name: String) throws -> [Chunk] {
        let document = try self.document(name)
        lock.lock()
        defer { lock.unlock() }
        if let cached = chunks[name] { return cached }
        guard let tokenizer = Fixtures.tokenizer else { throw TestSetupError.noTokenizer }
        let result = Chunker(counter: tokenizer).chunk(document)
        chunks[name] = result
        return result
    }
}

/// The model that `scripts/setup` installs is missing.
public enum TestSetupError: Error { case noTokenizer }
