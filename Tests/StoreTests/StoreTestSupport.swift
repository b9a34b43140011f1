import Foundation
import Store
import Testing

/// A fresh directory under the system temp directory, removed after `body`.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("aigov-store-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// A migrated store on a real file in a fresh directory.
func withStore<T>(_ body: (SQLiteStore) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        let store = try await SQLiteStore.open(path: directory.appendingPathComponent("aigov.sqlite").path)
        return try await body(store)
    }
}

/// A migrated store of `engine`: a SQLite file in a fresh directory, or a fresh PostgreSQL database (see
/// `PostgresTestServer`) dropped afterwards.
func withStore<T>(_ engine: Engine, _ body: (any MetadataStore) async throws -> T) async throws -> T {
    switch engine {
    case .sqlite:
        return try await withStore { store in try await body(store) }
    case .postgres:
        return try await PostgresTestServer.withDatabase { url in
            let store = try await PostgresStore.open(url: url)
            do {
                let result = try await body(store)
                await store.close()
                return result
            } catch {
                await store.close()
                throw error
            }
        }
    }
}

/// Runs `body` and returns the `StoreError` code it threw, or records an issue when it threw nothing else.
func storeErrorCode(_ body: () async throws -> Void) async -> StoreError.Code? {
    do {
        try await body()
        Issue.record("expected a StoreError, nothing was thrown")
        return nil
    } catch let error as StoreError {
        return error.code
    } catch {
        Issue.record("expected a StoreError, got \(error)")
        return nil
    }
}

func sampleDocument(id: String = "ai-act", hash: String = "hash-1") -> StoredDocument {
    StoredDocument(
        id: id, title: "Règlement (UE) 2024/1689 — AI Act", source: "EUR-Lex", url: "https://eur-lex.example/ai-act",
        type: "pdf", contentHash: hash,
        metadata: ["author": "Parlement européen", "langue": "français 🇪🇺", "pages": "144"])
}

/// A chunk whose id, like the pipeline's, depends on the document, the text and the ordinal.
func sampleChunk(
    documentID: String = "ai-act", ordinal: Int, text: String, pages: ClosedRange<Int>? = nil
) -> StoredChunk {
    StoredChunk(
        chunkID: "\(documentID):\(ordinal):\(stableHash(text))",
        documentID: documentID, ordinal: ordinal, text: text, section: "Article \(ordinal + 1)",
        headingPath: ["CHAPITRE III — Systèmes d’IA à haut risque", "Article \(ordinal + 1) « Règles »"],
        pageStart: pages?.lowerBound, pageEnd: pages?.upperBound,
        charStart: ordinal * 100, charEnd: ordinal * 100 + text.unicodeScalars.count,
        tokenCount: text.split(separator: " ").count, contentHash: "h(\(text))")
}

/// FNV-1a, so chunk ids are the same in every run (String.hashValue is seeded per process).
func stableHash(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    return String(hash, radix: 16)
}
