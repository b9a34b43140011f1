import ConcurrencySupport
import Documents
import Foundation
import Retrieval
import Store

extension KnowledgeBase {
    /// Metadata key holding the SHA-256 of the input's bytes: equal bytes skip parsing altogether.
    public static let fileHashKey = "file_sha256"
    /// Metadata key holding the ``Chunker/signature`` a document was cut with: equal bytes cut by other rules
    /// (a newer aigov, another `maxChunkTokens`) are chunked again, and only chunks whose text changed are
    /// embedded.
    public static let chunkingKey = "chunking"

    /// What the ``chunkingKey`` records: the chunker's signature, then `/windows64` when ingest embeds windows
    /// (``Options/windows``), so an index written before windows existed gets them on the next ingest.
    var chunkingSignature: String {
        chunker.signature + (options.windows ? "/windows\(PassageWindows.maxWords)" : "")
    }

    /// Ingests files one after another; a file that fails is reported in the summary and the rest go on.
    ///
    /// `options` apply to every file (an `id` or `title` only makes sense for one). Two inputs that would get
    /// the same document id fail the second one rather than letting it overwrite the first.
    ///
    /// `manifests` (by the standardized path of their folder, see ``CorpusManifest/manifests(for:)``) fill in
    /// the title, source, URL and type of the files beside them where `options` leave them unset.
    public func ingest(
        files: [URL], options: DocumentLoader.Options = DocumentLoader.Options(),
        manifests: [String: CorpusManifest] = [:], progress: (@Sendable (IngestProgress) -> Void)? = nil
    ) async -> IngestSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        var summary = IngestSummary()
        var claimed: [String: String] = [:]
        for (position, file) in files.enumerated() {
            progress?(.started(path: file.path, index: position, total: files.count))
            let id = options.id ?? file.lastPathComponent
            var outcome: DocumentOutcome?
            var failure: IngestFailure?
            if let first = claimed[id] {
                failure = IngestFailure(
                    path: file.path,
                    error: "\(IngestError.Code.duplicateID): document id \(id) is already taken by \(first) in this "
                        + "run; rename one file or ingest it separately with --id")
            } else {
                claimed[id] = file.path
                do {
                    let folder = file.deletingLastPathComponent().standardizedFileURL.path
                    let fileOptions = manifests[folder]?.options(for: file, options) ?? options
                    outcome = try await ingest(fileAt: file, options: fileOptions) { done, total in
                        progress?(.embedding(done: done, total: total))
                    }
                } catch {
                    failure = IngestFailure(path: file.path, error: Self.describe(error))
                }
            }
            if let outcome { summary.record(outcome) }
            if let failure { summary.record(failure) }
            progress?(
                .finished(path: file.path, index: position, total: files.count, outcome: outcome, failure: failure))
        }
        do {
            try await checkpoint()
        } catch {
            summary.record(IngestFailure(path: "index", error: Self.describe(error)))
        }
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return summary
    }

    /// Ingests one file: unchanged bytes are skipped without parsing; otherwise the file is loaded (PDFs in
    /// a child process) and committed with ``commit(_:embeddingProgress:)``. The document id defaults to the
    /// file name and the source to the file name too (a local path means nothing to readers of a citation).
    public func ingest(
        fileAt url: URL, options: DocumentLoader.Options = DocumentLoader.Options(),
        embeddingProgress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> DocumentOutcome {
        let name = url.lastPathComponent
        let loader = self.loader
        let data = try await blocking { try loader.read(fileAt: url) }
        return try await ingest(data: data, fileName: name, options: options, embeddingProgress: embeddingProgress)
    }

    /// Ingests in-memory bytes (an upload) named `fileName`, as ``ingest(fileAt:options:embeddingProgress:)``.
    public func ingest(
        data: Data, fileName: String, options: DocumentLoader.Options = DocumentLoader.Options(),
        embeddingProgress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> DocumentOutcome {
        // Without a judge every document is admitted, so there is always an outcome.
        try await ingest(
            data: data, fileName: fileName, options: options, admit: nil, embeddingProgress: embeddingProgress)!
    }

    /// As ``ingest(data:fileName:options:embeddingProgress:)``, but a document whose bytes changed is first shown,
    /// loaded, to `admit` (the crawler's topic filter); nil when `admit` refuses it, and then nothing is stored.
    /// Unchanged bytes are not judged again: they were admitted when they were stored.
    public func ingest(
        data: Data, fileName: String, options: DocumentLoader.Options = DocumentLoader.Options(),
        admit: (@Sendable (Document) -> Bool)?, embeddingProgress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> DocumentOutcome? {
        let id = options.id ?? fileName
        let fileHash = Hashing.sha256Hex(data)
        if let existing = try await store.document(id: id), existing.metadata[Self.fileHashKey] == fileHash,
            existing.metadata[Self.chunkingKey] == chunkingSignature,
            options.title.map({ $0 == existing.title }) ?? true,
            options.source.map({ $0 == existing.source }) ?? true,
            options.url.map({ $0 == existing.url }) ?? true,
            options.documentType.map({ $0 == existing.metadata[DocumentLoader.documentTypeKey] }) ?? true,
            options.metadata.allSatisfy({ existing.metadata[$0.key] == $0.value })
        {
            // A document stored before originals were kept gets its original now: the bytes are in hand.
            try await keepOriginal(data, hash: fileHash)
            let chunks = try await store.chunks(documentID: id).count
            return DocumentOutcome(
                documentID: id, status: .unchanged, chunks: chunks, chunksAdded: 0, chunksRemoved: 0, chunksEmbedded: 0)
        }
        var options = options
        options.id = id
        if options.source == nil { options.source = fileName }
        let loader = self.loader
        let loadOptions = options
        var document = try await blocking { try loader.load(data: data, fileName: fileName, options: loadOptions) }
        if let admit, !admit(document) { return nil }
        document.metadata[Self.fileHashKey] = fileHash
        try await keepOriginal(data, hash: fileHash)
        return try await commit(document, embeddingProgress: embeddingProgress)
    }

    /// Writes `data` to `originals/<hash>` unless it is there: a temporary file renamed into place, so the folder
    /// never holds a partial original. Kept before the commit: an original without a document is harmless, a
    /// document without its original is what this avoids.
    func keepOriginal(_ data: Data, hash: String) async throws {
        guard let folder = originalsDirectory else { return }
        try await blocking {
            let target = folder.appendingPathComponent(hash)
            if FileManager.default.fileExists(atPath: target.path) { return }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let temporary = folder.appendingPathComponent(".\(hash).\(UUID().uuidString).tmp")
            do {
                try data.write(to: temporary)
                guard rename(temporary.path, target.path) == 0 else {
                    throw CocoaError(.fileWriteUnknown)
                }
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw IngestError(.unreadable, file: hash, "cannot keep the original: \(error.localizedDescription)")
            }
        }
    }

    /// Commits a loaded document: chunks it, keeps chunks whose ids (document, text, ordinal) are unchanged,
    /// embeds the new ones through the cache, writes them to the index, commits the store in one transaction
    /// and prunes the chunks that are gone from the index.
    public func commit(
        _ document: Document, embeddingProgress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> DocumentOutcome {
        try await gate.run {
            try await commitLocked(document, embeddingProgress: embeddingProgress)
        }
    }

    private func commitLocked(
        _ document: Document, embeddingProgress: (@Sendable (Int, Int) -> Void)?
    ) async throws -> DocumentOutcome {
        let existing = try await store.document(id: document.id)
        let contentHash = document.contentHash
        var metadata = document.metadata
        metadata[Self.chunkingKey] = chunkingSignature
        let stored = StoredDocument(
            id: document.id, title: document.title, source: document.source, url: document.url,
            type: document.type.rawValue, contentHash: contentHash, metadata: metadata)
        let previous = try await store.chunks(documentID: document.id)
        if let existing, existing.contentHash == contentHash, existing.title == stored.title,
            existing.source == stored.source, existing.url == stored.url, existing.type == stored.type,
            existing.metadata[Self.chunkingKey] == chunkingSignature
        {
            // Same text and fields. Metadata may differ (new file bytes with the same text): record it so the
            // next run can skip parsing, but count the document as unchanged.
            if existing.metadata != stored.metadata {
                try await store.commitDocument(
                    stored, chunks: previous, removedChunkIDs: [], outbox: options.queueOutbox)
                documentCache.invalidate()
            }
            return DocumentOutcome(
                documentID: document.id, status: .unchanged, chunks: previous.count, chunksAdded: 0,
                chunksRemoved: 0, chunksEmbedded: 0)
        }
        let chunker = self.chunker
        let chunks = try await blocking { chunker.chunk(document) }.map(Self.stored)
        guard !chunks.isEmpty else {
            throw IngestError(.empty, file: document.id, "no text to index after extraction")
        }
        let newIDs = Set(chunks.map(\.chunkID))
        let previousIDs = Set(previous.map(\.chunkID))
        let removed = previous.map(\.chunkID).filter { !newIDs.contains($0) }
        // A chunk needs an index write when its id is new, when a field the index filters on or cites from
        // changed, or when it has windows its record lacks (an index written before windows existed).
        let toIndex = chunks.filter { chunk in
            guard previousIDs.contains(chunk.chunkID), let record = index.record(id: chunk.chunkID) else { return true }
            let wanted = Self.record(chunk: chunk, document: stored, vector: [])
            return record.source != wanted.source || record.docType != wanted.docType
                || record.section != wanted.section || record.citation != wanted.citation
                || lacksWindows(record.windows, of: chunk)
        }
        var embedded = 0
        var done = 0
        var vectors: [ChunkVectors] = []
        embeddingProgress?(0, toIndex.count)
        for start in stride(from: 0, to: toIndex.count, by: Self.sliceSize) {
            let slice = Array(toIndex[start..<min(start + Self.sliceSize, toIndex.count)])
            let (records, misses) = try await indexRecords(slice.map { ($0, stored) })
            embedded += misses
            if options.localIndex { try await blocking { [index] in try index.upsert(records) } }
            vectors += records.map { self.vectors(of: $0) }
            done += slice.count
            embeddingProgress?(done, toIndex.count)
        }
        // The vectors travel with the chunks, so the other replicas following the store never embed them again.
        let summary = try await store.commitDocument(
            stored, chunks: chunks, removedChunkIDs: removed, vectors: vectors, outbox: options.queueOutbox)
        documentCache.invalidate()
        if !removed.isEmpty, options.localIndex {
            try await blocking { [index] in try index.delete(ids: removed) }
        }
        // This replica applied its own commit: when nothing else came in between, the feed position moves past it.
        if let changes = summary.changes {
            feed.update { if $0.applied == changes.lowerBound - 1 { $0.applied = changes.upperBound } }
        }
        return DocumentOutcome(
            documentID: document.id, status: summary.documentCreated ? .added : .updated, chunks: chunks.count,
            chunksAdded: chunks.count - chunks.filter { previousIDs.contains($0.chunkID) }.count,
            chunksRemoved: removed.count, chunksEmbedded: embedded)
    }

    /// Deletes a document from the store and the index. Throws `StoreError` `not_found` for an unknown id.
    @discardableResult
    public func deleteDocument(id: String) async throws -> Int {
        try await gate.run {
            let removed = try await store.deleteDocument(id: id, outbox: options.queueOutbox)
            documentCache.invalidate()
            try await blocking { [index] in try index.delete(ids: removed) }
            return removed.count
        }
    }

    static func stored(_ chunk: Chunk) -> StoredChunk {
        StoredChunk(
            chunkID: chunk.chunkID, documentID: chunk.documentID, ordinal: chunk.ordinal, text: chunk.text,
            section: chunk.section, headingPath: chunk.headingPath, pageStart: chunk.pageStart,
            pageEnd: chunk.pageEnd, charStart: chunk.charStart, charEnd: chunk.charEnd, tokenCount: chunk.tokenCount,
            contentHash: chunk.contentHash)
    }

    /// `code: message` for any error the pipeline meets; never includes file contents.
    package static func describe(_ error: any Error) -> String {
        if let error = error as? IngestError { return "\(error.code): \(error.message)" }
        return String(describing: error)
    }
}
