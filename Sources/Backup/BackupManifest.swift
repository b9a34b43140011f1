import Foundation
import Store

/// `manifest.json` of a backup: what it holds, with the size and SHA-256 of every file. Written last, into a
/// folder that is renamed to its final name only after, so a folder with a manifest is a whole backup.
public struct BackupManifest: Codable, Sendable, Equatable {
    /// The layout's version; a reader refuses a later one.
    public var format = 1
    public var createdAt: Date
    /// The engine the data came from (`sqlite` or `postgresql`); the backup's database is SQLite either way.
    public var sourceEngine: String
    public var schemaVersions: [Int]
    /// The embedding cache files carried (one per model fingerprint).
    public var modelFingerprints: [String]
    public var counts: Counts
    /// Documents whose original input was ingested before originals were kept.
    public var originalsMissing: Int
    /// The Qdrant collection's snapshot, when the backup was asked for one (`--qdrant-snapshot`).
    public var qdrantSnapshot: QdrantSnapshotFile?
    public var files: [File]

    /// A snapshot Qdrant made of the collection while the backup ran, kept as one of the backup's files. It is
    /// of its own moment, not the database's: restoring it is optional, since `aigov sync --repair` makes the
    /// collection equal the restored store.
    public struct QdrantSnapshotFile: Codable, Sendable, Equatable {
        /// The real collection (the alias's target when the configured name is an alias).
        public var collection: String
        /// Its path inside the backup (`qdrant/<snapshot name>`).
        public var path: String

        public init(collection: String, path: String) {
            self.collection = collection
            self.path = path
        }
    }

    /// Rows per table of the backup's database.
    public struct Counts: Codable, Sendable, Equatable {
        public var documents, chunks, users, origins, jobs, outbox: Int

        init(_ counts: StoreTableCounts) {
            documents = counts.documents
            chunks = counts.chunks
            users = counts.users
            origins = counts.origins
            jobs = counts.jobs
            outbox = counts.outbox
        }
    }

    /// One file, by its path inside the backup.
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var bytes: Int64
        public var sha256: String
    }

    /// The manifest's file name.
    public static let fileName = "manifest.json"
    /// The database's file name.
    public static let databaseName = "store.sqlite"

    enum CodingKeys: String, CodingKey {
        case format, counts, files
        case createdAt = "created_at"
        case sourceEngine = "source_engine"
        case schemaVersions = "schema_versions"
        case modelFingerprints = "model_fingerprints"
        case originalsMissing = "originals_missing"
        case qdrantSnapshot = "qdrant_snapshot"
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
