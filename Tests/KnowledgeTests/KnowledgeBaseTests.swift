import DocumentFixtures
import Documents
import EmbedCache
import Foundation
import Knowledge
import Retrieval
import Store
import Synchronization
import Testing

/// A fast deterministic embedder for pipeline mechanics: each word is hashed to one of 64 dimensions, so
/// texts sharing words are near. It counts the texts it embeds, which is what the incremental-ingest tests
/// measure. (Tests of the real model's retrieval quality run the real model: see aigovTests.)
final class CountingEmbedder: Embedder {
    let dimension = 64
    let fingerprint = "counting-embedder-v1"
    private let counter = Mutex(0)

    var embedded: Int { counter.withLock { $0 } }

    func embed(_ texts: [String]) async throws -> [[Float]] {
        counter.withLock { $0 += texts.count }
        return texts.map { text in
            var vector = [Float](repeating: 0, count: dimension)
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                var hash: UInt64 = 1_469_598_103_934_665_603
                for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
                vector[Int(hash % UInt64(dimension))] += 1
            }
            vector[0] += 0.01  // never the zero vector
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return vector.map { $0 / norm }
        }
    }
}

/// A data directory in the temporary folder with a real SQLite store, a real index and a real embedding cache
/// in front of the counting embedder.
struct TestLibrary {
    let directory: URL
    let base = CountingEmbedder()

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-kb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func store() async throws -> SQLiteStore {
        let store = try SQLiteStore(path: directory.appendingPathComponent("aigov.sqlite").path)
        try await store.migrate()
        return store
    }

    func embedder() throws -> CachedEmbedder {
        let cache = try EmbeddingCache(
            directory: directory.appendingPathComponent("embeddings"), fingerprint: base.fingerprint,
            dimension: base.dimension)
        return try CachedEmbedder(base: base, cache: cache)
    }

    func open(
        options: KnowledgeBase.Options = KnowledgeBase.Options()
    ) async throws -> (KnowledgeBase, KnowledgeBase.RepairReport) {
        guard let tokenizer = Fixtures.tokenizer else { throw TestSetupError.noTokenizer }
        return try await KnowledgeBase.open(
            dataDirectory: directory, store: try await store(), embedder: try embedder(), tokenCounter: tokenizer,
            options: options)
    }

    /// A copy of a fixture in this library's folder, so tests can edit it.
    func copy(_ fixture: String, as name: String? = nil) throws -> URL {
        let target = directory.appendingPathComponent("inputs").appendingPathComponent(name ?? fixture)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: Fixtures.url(fixture), to: target)
        return target
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

@Suite struct KnowledgeBaseTests {
    @Test func secondIngestIsUnchangedAndEmbedsNothing() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let files = [try library.copy(Fixtures.eo14179), try library.copy(Fixtures.rmfPDF)]
        let (kb, report) = try await library.open()
        #expect(report.isClean)
        let first = await kb.ingest(files: files)
        #expect(first.failures == [])
        #expect(first.documentsAdded == 2)
        #expect(first.chunksAdded > 50)
        #expect(first.chunksEmbedded == first.chunksAdded)
        let embeddedAfterFirst = library.base.embedded
        #expect(embeddedAfterFirst == first.chunksAdded)

        let second = await kb.ingest(files: files)
        #expect(second.documentsUnchanged == 2)
        #expect(second.documentsAdded + second.documentsUpdated + second.documentsFailed == 0)
        #expect(second.chunksAdded == 0 && second.chunksRemoved == 0 && second.chunksEmbedded == 0)
        #expect(library.base.embedded == embeddedAfterFirst)
        let consistency = try await kb.verify()
        #expect(consistency.agrees)
        #expect(consistency.storedChunks == first.chunksAdded)
        #expect(consistency.index.liveRecords == first.chunksAdded)
    }

    /// Article 5(1) of the AI Act runs over several chunks: each continuation is the next chunk of the same
    /// provision less the part the two share, and a provision's last chunk has none.
    @Test func continuationsReadOnWithinAProvisionOnly() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let (kb, _) = try await library.open()
        let summary = await kb.ingest(files: [try library.copy(Fixtures.aiActPDF)])
        #expect(summary.failures == [])
        let chunks = try await kb.store.chunks(documentID: Fixtures.aiActPDF)
        let list = chunks.filter { $0.section == "Article 5(1)" }
        try #require(list.count >= 3)
        for (chunk, next) in zip(list, list.dropFirst()) where next.ordinal == chunk.ordinal + 1 {
            let continuation = try #require(try await kb.continuation(of: chunk.chunkID))
            #expect(continuation.chunkID == next.chunkID)
            #expect(next.text.hasSuffix(continuation.text))
            let shared = String(next.text.unicodeScalars.dropLast(continuation.text.unicodeScalars.count))
            #expect(chunk.text.hasSuffix(shared), "the dropped part is what the chunk already holds")
            // Read backwards, the chunk before is the part of it the next one does not hold.
            let precursor = try #require(try await kb.precursor(of: next.chunkID))
            #expect(precursor.chunkID == chunk.chunkID)
            #expect(chunk.text.hasPrefix(precursor.text) && !precursor.text.isEmpty)
            #expect(precursor.text + shared == chunk.text || shared.isEmpty)
        }
        let firstOfArticle5 = try #require(chunks.first { $0.section?.hasPrefix("Article 5") == true })
        #expect(try await kb.precursor(of: firstOfArticle5.chunkID) == nil)
        let lastOfArticle5 = try #require(chunks.last { $0.section?.hasPrefix("Article 5") == true })
        #expect(try await kb.continuation(of: lastOfArticle5.chunkID) == nil)
        #expect(try await kb.continuation(of: "missing") == nil)
    }

    /// Data ingested under other chunking rules (an older aigov, another budget) is cut again by the next
    /// ingest of the same bytes; chunks whose text comes out the same are not embedded again.
    @Test func otherChunkingRulesRechunkTheSameBytes() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let files = [try library.copy(Fixtures.eo14179)]
        var firstChunks = 0
        do {
            let (kb, _) = try await library.open()
            firstChunks = await kb.ingest(files: files).chunksAdded
            let document = try #require(try await kb.store.document(id: files[0].lastPathComponent))
            #expect(document.metadata[KnowledgeBase.chunkingKey] == "\(Chunker.rulesVersion)/224/254/32")
        }
        guard let tokenizer = Fixtures.tokenizer else { throw TestSetupError.noTokenizer }
        let smaller = KnowledgeBase.Options(maxChunkTokens: 120)
        let (kb, _) = try await KnowledgeBase.open(
            dataDirectory: library.directory, store: try await library.store(), embedder: try library.embedder(),
            tokenCounter: tokenizer, options: smaller)
        let again = await kb.ingest(files: files)
        #expect(again.documentsUpdated == 1 && again.documentsUnchanged == 0)
        let stored = try await kb.store.chunks(documentID: files[0].lastPathComponent)
        #expect(stored.count > firstChunks)
        #expect(stored.allSatisfy { $0.tokenCount <= 254 })
        #expect(again.chunksEmbedded <= again.chunksAdded)
        let third = await kb.ingest(files: files)
        #expect(third.documentsUnchanged == 1 && third.chunksEmbedded == 0)
        #expect(try await kb.verify().agrees)
    }

    @Test func editingOneFileReembedsOnlyItsChangedChunks() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let file = try library.copy(Fixtures.eo14179, as: "order.md")
        let other = try library.copy(Fixtures.rmfPDF)
        let (kb, _) = try await library.open()
        let first = await kb.ingest(files: [file, other])
        #expect(first.failures == [])
        let store = try await library.store()
        let before = try await store.chunks(documentID: "order.md")
        #expect(before.count >= 4)

        // Change one sentence in the middle of the order.
        var text = try String(contentsOf: file, encoding: .utf8)
        let target = try #require(before.dropFirst(before.count / 2).first)
        let sentence = try #require(target.text.split(separator: " ").prefix(6).joined(separator: " ").nonEmpty)
        #expect(text.contains(sentence))
        text = text.replacingOccurrences(of: sentence, with: sentence + " (as amended in a test)")
        try Data(text.utf8).write(to: file)

        let embeddedBefore = library.base.embedded
        let second = await kb.ingest(files: [file, other])
        #expect(second.failures == [])
        #expect(second.documentsUpdated == 1)
        #expect(second.documentsUnchanged == 1)
        #expect(second.chunksEmbedded == 1)
        #expect(library.base.embedded - embeddedBefore == 1)
        let after = try await store.chunks(documentID: "order.md")
        #expect(after.count == before.count)
        // Every chunk but the edited one keeps its id.
        let kept = Set(before.map(\.chunkID)).intersection(after.map(\.chunkID))
        #expect(kept.count == before.count - 1)
        #expect(second.chunksAdded == 1 && second.chunksRemoved == 1)
        let consistency = try await kb.verify()
        #expect(consistency.agrees)
        let hits = try await kb.search("as amended in a test", topK: 1, mode: .lexical)
        #expect(hits.first?.documentID == "order.md")
        #expect(hits.first?.content.contains("as amended in a test") == true)
    }

    @Test func citationsCarrySectionPagesAndDocumentFields() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let (kb, _) = try await library.open()
        let outcome = try await kb.ingest(
            fileAt: try library.copy(Fixtures.rmfPDF),
            options: DocumentLoader.Options(source: "NIST", url: "https://doi.org/10.6028/NIST.AI.100-1"))
        #expect(outcome.status == .added)
        let hits = try await kb.search("GOVERN 1.1", topK: 5, mode: .lexical)
        let hit = try #require(hits.first { $0.section == "GOVERN 1.1" })
        #expect(hit.pageStart == 27)
        #expect(hit.documentID == Fixtures.rmfPDF)
        #expect(hit.documentSource == "NIST")
        #expect(hit.documentURL == "https://doi.org/10.6028/NIST.AI.100-1")
        #expect(hit.documentTitle.contains("Artificial Intelligence Risk Management Framework"))
        #expect(hit.content.contains("GOVERN 1.1"))
        #expect(hit.score > 0)
        let filtered = try await kb.search("risk", topK: 5, mode: .hybrid, filter: SearchFilter(sectionPrefix: "MAP"))
        #expect(!filtered.isEmpty)
        #expect(filtered.allSatisfy { $0.section?.hasPrefix("MAP") == true })

        let json = try JSONEncoder().encode(hit)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(
            Set(object.keys)
                == [
                    "content", "document_title", "document_source", "document_url", "chunk_index", "chunk_id",
                    "document_id", "section", "page_start", "page_end", "score",
                ])
    }

    @Test func badInputsFailAloneAndAreReported() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let inputs = library.directory.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let empty = inputs.appendingPathComponent("empty.txt")
        try Data().write(to: empty)
        let binary = inputs.appendingPathComponent("blob.bin")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: binary)
        let broken = inputs.appendingPathComponent("broken.pdf")
        try Data("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage".utf8).write(to: broken)
        let good = try library.copy(Fixtures.eo14179)
        let twin = inputs.appendingPathComponent("twin").appendingPathComponent(Fixtures.eo14179)
        try FileManager.default.createDirectory(at: twin.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: good, to: twin)

        let (kb, _) = try await library.open()
        let summary = await kb.ingest(files: [empty, binary, good, broken, twin])
        #expect(summary.documentsAdded == 1)
        #expect(summary.documentsFailed == 4)
        let errors = Dictionary(uniqueKeysWithValues: summary.failures.map { ($0.path, $0.error) })
        #expect(errors[empty.path]?.hasPrefix("empty:") == true)
        #expect(errors[binary.path]?.hasPrefix("unsupported:") == true)
        #expect(errors[broken.path]?.hasPrefix("corrupt:") == true, "\(errors[broken.path] ?? "")")
        #expect(errors[twin.path]?.hasPrefix("duplicate_id:") == true)
        #expect(try await kb.verify().agrees)
    }

    @Test func openingRepairsAnIndexThatDisagreesWithTheStore() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        var ids: [String] = []
        do {
            let (kb, _) = try await library.open()
            let summary = await kb.ingest(files: [try library.copy(Fixtures.eo14179)])
            #expect(summary.documentsAdded == 1)
            ids = kb.index.ids
            // What a crash between the index write and the store commit leaves: a record the store lacks.
            try kb.index.upsert([
                IndexRecord(
                    id: "ghost:0:0000", vector: [Float](repeating: 0.125, count: 64), text: "ghost",
                    documentID: "ghost",
                    source: "x", docType: "text", section: "")
            ])
            // And what a crash after the commit leaves when chunks were removed: the store lost one the index has
            // (simulated the other way round: the index lost a stored chunk).
            try kb.index.delete(ids: [ids[0]])
        }
        let embeddedBefore = library.base.embedded
        let (kb, report) = try await library.open()
        #expect(report.removedFromIndex == 1)
        #expect(report.addedToIndex == 1)
        #expect(report.embedded == 0, "the vector comes from the cache")
        #expect(library.base.embedded == embeddedBefore)
        #expect(kb.index.ids == ids)
        #expect(try await kb.verify().agrees)
    }

    @Test func rebuildMakesTheSameIndexFromStoreAndCache() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        var before: [String] = []
        var results: [String] = []
        do {
            let (kb, _) = try await library.open()
            _ = await kb.ingest(files: [try library.copy(Fixtures.eo14179), try library.copy(Fixtures.rmfPDF)])
            before = kb.index.ids
            results = try await kb.search("trustworthy AI characteristics", topK: 5).map(\.chunkID)
        }
        let embedded = library.base.embedded
        guard let tokenizer = Fixtures.tokenizer else { throw TestSetupError.noTokenizer }
        let report = try await KnowledgeBase.rebuildIndex(
            dataDirectory: library.directory, store: try await library.store(), embedder: try library.embedder(),
            tokenCounter: tokenizer)
        #expect(report.addedToIndex == before.count)
        #expect(report.embedded == 0)
        #expect(library.base.embedded == embedded)
        let (kb, repair) = try await library.open()
        #expect(repair.isClean)
        #expect(kb.index.ids == before)
        #expect(try await kb.search("trustworthy AI characteristics", topK: 5).map(\.chunkID) == results)
    }

    /// Searches cache the documents they cite; this process's own commits must show in the very next search.
    @Test func aChangedSourceShowsInTheNextSearchAtOnce() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let (kb, _) = try await library.open()
        let file = try library.copy(Fixtures.eo14179)
        _ = try await kb.ingest(fileAt: file, options: DocumentLoader.Options(source: "First source"))
        let query = "Removing Barriers to American Leadership"
        let before = try await kb.search(query, topK: 3, mode: .lexical)
        #expect(!before.isEmpty && before.allSatisfy { $0.documentSource == "First source" })

        let outcome = try await kb.ingest(fileAt: file, options: DocumentLoader.Options(source: "Second source"))
        #expect(outcome.status == .updated)
        let after = try await kb.search(query, topK: 3, mode: .lexical)
        #expect(!after.isEmpty && after.allSatisfy { $0.documentSource == "Second source" })

        try await kb.deleteDocument(id: Fixtures.eo14179)
        #expect(try await kb.search(query, topK: 3, mode: .lexical).allSatisfy { $0.documentID != Fixtures.eo14179 })
    }

    @Test func deletingADocumentRemovesItFromIndexAndStore() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let (kb, _) = try await library.open()
        _ = await kb.ingest(files: [try library.copy(Fixtures.eo14179), try library.copy(Fixtures.rmfPDF)])
        let removed = try await kb.deleteDocument(id: Fixtures.eo14179)
        #expect(removed > 0)
        let hits = try await kb.search("Removing Barriers to American Leadership", topK: 50, mode: .lexical)
        #expect(hits.allSatisfy { $0.documentID != Fixtures.eo14179 })
        #expect(try await kb.verify().agrees)
        await #expect(throws: StoreError.self) { try await kb.deleteDocument(id: Fixtures.eo14179) }
    }

    @Test func aSecondOpenOfTheSameDirectoryIsRefused() async throws {
        let library = try TestLibrary()
        defer { library.remove() }
        let (kb, _) = try await library.open()
        await #expect {
            _ = try await library.open()
        } throws: { error in
            (error as? IngestError)?.code == .locked
        }
        withExtendedLifetime(kb) {}
        // Released with the first handle.
    }

    @Test func directoriesAreWalkedInOrderHonouringIgnoreFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-walk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let sub = root.appendingPathComponent("b-sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in ["z.md", "a.txt", "SOURCES.md", ".hidden.md", "skip-me.pdf"] {
            try Data("x".utf8).write(to: root.appendingPathComponent(name))
        }
        try Data("y".utf8).write(to: sub.appendingPathComponent("c.html"))
        try Data("# provenance\nSOURCES.md\n\nskip-*.pdf\n".utf8).write(
            to: root.appendingPathComponent(".aigovignore"))
        let files = try InputCollector.files([root.path, root.appendingPathComponent("SOURCES.md").path])
        #expect(files.map(\.lastPathComponent) == ["a.txt", "c.html", "z.md", "SOURCES.md"])
        #expect(throws: IngestError.self) { try InputCollector.files([root.appendingPathComponent("nope").path]) }
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
