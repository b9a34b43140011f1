import Foundation
import Retrieval

// Request and response bodies of the Qdrant REST API (v1.x), only the fields aigov sends or reads. Request
// bodies carry no other field: Qdrant, like its client's models, rejects unknown ones.

/// What a point of the mirror carries besides its vector: every field a citation needs, so a search served
/// by Qdrant can answer without the local store (ARCHITECTURE.md section 6), plus `doc_type` for filtering.
public struct QdrantChunkPayload: Codable, Sendable, Equatable {
    public var chunkID: String
    public var documentID: String
    public var title: String
    public var source: String
    public var url: String?
    public var docType: String
    public var section: String?
    public var pageStart: Int?
    public var pageEnd: Int?
    /// The chunk's ordinal in its document.
    public var chunkIndex: Int
    /// The chunk text as stored (what a citation quotes), not the heading-prefixed text that was embedded.
    public var text: String
    public var contentHash: String
    /// The provision the section belongs to, lower-cased (`article 6` for `Article 6(2)`): a keyword field, so
    /// "everything of Article 6" is a payload filter. Nil without a section, and in points written before it.
    public var provision: String?

    /// A payload with every field given.
    public init(
        chunkID: String, documentID: String, title: String, source: String, url: String?, docType: String,
        section: String?, pageStart: Int?, pageEnd: Int?, chunkIndex: Int, text: String, contentHash: String,
        provision: String? = nil
    ) {
        self.chunkID = chunkID
        self.documentID = documentID
        self.title = title
        self.source = source
        self.url = url
        self.docType = docType
        self.section = section
        self.pageStart = pageStart
        self.pageEnd = pageEnd
        self.chunkIndex = chunkIndex
        self.text = text
        self.contentHash = contentHash
        self.provision = provision
    }

    enum CodingKeys: String, CodingKey {
        case chunkID = "chunk_id"
        case documentID = "document_id"
        case title, source, url, section, text, provision
        case docType = "doc_type"
        case pageStart = "page_start"
        case pageEnd = "page_end"
        case chunkIndex = "chunk_index"
        case contentHash = "content_hash"
    }

    /// Payload fields that get a keyword index: the filters aigov uses, and the two Qdrant Cloud's strict
    /// mode needs for filtered deletes and lookups.
    public static let indexedKeywordFields = [
        "document_id", "content_hash", "source", "doc_type", "section", "provision",
    ]
}

/// One point to upsert: a UUID id (``QdrantPointID``), its vectors and the payload.
public struct QdrantPoint: Encodable, Sendable, Equatable {
    public var id: String
    /// The chunk's embedding.
    public var vector: [Float]
    /// For a hybrid collection (``QdrantCollectionSchema/hybrid``): the window vectors and the BM25 terms; nil
    /// for a collection of one unnamed vector.
    public var hybrid: QdrantHybridVectors?
    public var payload: QdrantChunkPayload

    /// A point of a collection with one unnamed vector.
    public init(id: String, vector: [Float], payload: QdrantChunkPayload) {
        self.id = id
        self.vector = vector
        self.payload = payload
    }

    /// A point of a hybrid collection.
    public init(id: String, vector: [Float], hybrid: QdrantHybridVectors, payload: QdrantChunkPayload) {
        self.id = id
        self.vector = vector
        self.hybrid = hybrid
        self.payload = payload
    }

    /// Every number a request would carry, for the finiteness check before sending.
    var isFinite: Bool {
        vector.allSatisfy(\.isFinite)
            && (hybrid.map {
                $0.windows.allSatisfy { $0.allSatisfy(\.isFinite) } && $0.bm25.values.allSatisfy(\.isFinite)
            }
                ?? true)
    }

    enum CodingKeys: String, CodingKey { case id, vector, payload }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(payload, forKey: .payload)
        guard let hybrid else {
            try container.encode(vector, forKey: .vector)
            return
        }
        try container.encode(
            QdrantBodies.NamedVectors(
                dense: vector, windows: hybrid.windows.isEmpty ? [vector] : hybrid.windows,
                bm25: QdrantBodies.Sparse(hybrid.bm25)),
            forKey: .vector)
    }
}

/// The vectors a point of a hybrid collection carries besides the chunk's embedding.
public struct QdrantHybridVectors: Sendable, Equatable {
    /// The chunk's sentence windows (``QdrantCollectionSchema/windowsVector``); empty means the chunk vector
    /// stands for its only window, so the window score equals the chunk score, as in the local index.
    public var windows: [[Float]]
    /// The chunk's BM25 term weights (``SparseBM25/document(_:)``).
    public var bm25: SparseBM25.Vector

    public init(windows: [[Float]], bm25: SparseBM25.Vector) {
        self.windows = windows
        self.bm25 = bm25
    }
}

/// A point returned by `points/query`, best first.
public struct QdrantScoredPoint: Sendable, Equatable {
    public var id: String
    /// Cosine similarity for a cosine collection.
    public var score: Double
    public var payload: QdrantChunkPayload?
}

/// A point returned by `points/scroll`.
public struct QdrantRecord: Sendable, Equatable {
    public var id: String
    public var payload: QdrantChunkPayload?
}

/// What `GET /collections/{c}` says about the vectors.
public struct QdrantCollectionInfo: Sendable, Equatable {
    /// Vector size of the unnamed vector, nil for collections with named vectors only.
    public var vectorSize: Int?
    /// `Cosine`, `Dot`, `Euclid` or `Manhattan`.
    public var distance: String?
    public var pointsCount: Int?
    /// The layout aigov recognises.
    public var schema: QdrantCollectionSchema = .other
    /// What aigov wrote in the collection's metadata when it built a hybrid collection.
    public var hybrid: QdrantHybridMetadata?
}

/// The two layouts of an aigov collection.
public enum QdrantCollectionSchema: Sendable, Equatable {
    /// One unnamed cosine vector per point (collections made before hybrid search): dense search only; the
    /// mirror migrates it (``QdrantMirror``).
    case single(size: Int)
    /// Named vectors ``denseVector`` and ``windowsVector`` (cosine, the second a max-sim multivector) and the
    /// sparse ``sparseVector`` with the IDF modifier, and ``QdrantHybridMetadata`` in the metadata.
    case hybrid(size: Int)
    /// Anything else: not aigov's, never written to.
    case other

    public static let denseVector = "dense"
    public static let windowsVector = "windows"
    public static let sparseVector = "bm25"
}

/// The settings a hybrid collection's sparse vectors were written with, kept in the collection's metadata so every
/// replica and every later push uses the same ones.
public struct QdrantHybridMetadata: Codable, Sendable, Equatable {
    /// Layout version: 1.
    public var version: Int
    public var k1: Float
    public var b: Float
    public var averageLength: Float
    public var stemming: Bool
    /// The embedding model's fingerprint.
    public var model: String
    /// Stored chunks when the collection was built (what ``averageLength`` was measured over).
    public var chunks: Int

    public init(bm25: SparseBM25, model: String, chunks: Int) {
        version = 1
        k1 = bm25.k1
        b = bm25.b
        averageLength = bm25.averageLength
        stemming = bm25.stemming
        self.model = model
        self.chunks = chunks
    }

    /// The encoder these settings describe.
    public var bm25: SparseBM25 { SparseBM25(k1: k1, b: b, averageLength: averageLength, stemming: stemming) }

    enum CodingKeys: String, CodingKey {
        case version = "aigov_hybrid"
        case k1 = "bm25_k1"
        case b = "bm25_b"
        case averageLength = "bm25_average_length"
        case stemming = "bm25_stemming"
        case model = "embedding_model"
        case chunks = "built_chunks"
    }
}

/// A Qdrant filter: every condition in `must` holds.
struct QdrantFilter: Encodable, Equatable {
    struct Match: Encodable, Equatable {
        var any: [String]
    }

    struct Condition: Encodable, Equatable {
        var key: String
        var match: Match
    }

    var must: [Condition]

    /// The conditions Qdrant can evaluate for `filter`, nil when there are none. A section prefix is not among
    /// them (Qdrant has no "continues at a boundary" match): the client filters it after the query.
    init?(_ filter: SearchFilter) {
        var must: [Condition] = []
        if let ids = filter.documentIDs { must.append(Condition(key: "document_id", match: Match(any: ids.sorted()))) }
        if let sources = filter.sources { must.append(Condition(key: "source", match: Match(any: sources.sorted()))) }
        if let types = filter.docTypes { must.append(Condition(key: "doc_type", match: Match(any: types.sorted()))) }
        guard !must.isEmpty else { return nil }
        self.must = must
    }

    init(documentID: String) {
        must = [Condition(key: "document_id", match: Match(any: [documentID]))]
    }
}

enum QdrantBodies {
    struct VectorParams: Codable, Equatable {
        var size: Int
        var distance: String
    }

    struct CreateCollection: Encodable {
        var vectors: VectorParams
    }

    /// A vector of a named-vector collection; `multivector_config` makes it a list of vectors scored by their best
    /// match (max-sim).
    struct NamedVectorParams: Codable, Equatable {
        struct Multivector: Codable, Equatable {
            var comparator: String
        }
        var size: Int
        var distance: String
        var multivectorConfig: Multivector?

        enum CodingKeys: String, CodingKey {
            case size, distance
            case multivectorConfig = "multivector_config"
        }
    }

    struct SparseVectorParams: Codable, Equatable {
        var modifier: String?
    }

    struct CreateHybridCollection: Encodable {
        var vectors: [String: NamedVectorParams]
        var sparseVectors: [String: SparseVectorParams]
        var metadata: QdrantHybridMetadata

        enum CodingKeys: String, CodingKey {
            case vectors, metadata
            case sparseVectors = "sparse_vectors"
        }
    }

    struct Sparse: Encodable, Equatable {
        var indices: [UInt32]
        var values: [Float]

        init(_ vector: SparseBM25.Vector) {
            indices = vector.indices
            values = vector.values
        }
    }

    struct NamedVectors: Encodable {
        var dense: [Float]
        var windows: [[Float]]
        var bm25: Sparse
    }

    struct AliasList: Decodable {
        struct Alias: Decodable {
            var aliasName: String
            var collectionName: String

            enum CodingKeys: String, CodingKey {
                case aliasName = "alias_name"
                case collectionName = "collection_name"
            }
        }
        var aliases: [Alias]
    }

    /// `POST /collections/aliases`: the actions apply together.
    struct AliasActions: Encodable {
        struct Create: Encodable {
            var collectionName: String
            var aliasName: String

            enum CodingKeys: String, CodingKey {
                case collectionName = "collection_name"
                case aliasName = "alias_name"
            }
        }
        struct Delete: Encodable {
            var aliasName: String

            enum CodingKeys: String, CodingKey { case aliasName = "alias_name" }
        }
        struct Action: Encodable {
            var createAlias: Create?
            var deleteAlias: Delete?

            enum CodingKeys: String, CodingKey {
                case createAlias = "create_alias"
                case deleteAlias = "delete_alias"
            }
        }
        var actions: [Action]
    }

    struct CreateFieldIndex: Encodable {
        var fieldName: String
        var fieldSchema: String

        enum CodingKeys: String, CodingKey {
            case fieldName = "field_name"
            case fieldSchema = "field_schema"
        }
    }

    struct DeleteByIDs: Encodable {
        var points: [String]
    }

    struct DeleteByFilter: Encodable {
        var filter: QdrantFilter
    }

    struct Query: Encodable {
        var query: [Float]
        var limit: Int
        var filter: QdrantFilter?
        var withPayload: Bool

        enum CodingKeys: String, CodingKey {
            case query, limit, filter
            case withPayload = "with_payload"
        }
    }

    struct Count: Encodable {
        var filter: QdrantFilter?
        var exact: Bool
    }

    struct Scroll: Encodable {
        var limit: Int
        var offset: PointID?
        var withPayload: Bool
        var withVector: Bool

        enum CodingKeys: String, CodingKey {
            case limit, offset
            case withPayload = "with_payload"
            case withVector = "with_vector"
        }
    }

    // MARK: Responses

    /// `{"result": ..., "status": "ok", "time": ...}`.
    struct Envelope<Result: Decodable>: Decodable {
        var result: Result
    }

    /// `{"status": {"error": "..."}}`, Qdrant's shape for refused requests.
    struct ErrorEnvelope: Decodable {
        struct Status: Decodable {
            var error: String?
        }
        var status: Status
    }

    /// A point id: Qdrant allows unsigned integers and UUIDs; aigov writes UUIDs only.
    struct PointID: Codable, Equatable {
        var value: String
        var isInteger: Bool

        init(_ value: String) {
            self.value = value
            isInteger = false
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(UInt64.self) {
                value = String(number)
                isInteger = true
            } else {
                value = try container.decode(String.self)
                isInteger = false
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if isInteger, let number = UInt64(value) {
                try container.encode(number)
            } else {
                try container.encode(value)
            }
        }
    }

    struct CollectionInfo: Decodable {
        struct Config: Decodable {
            struct Params: Decodable {
                var vectors: VectorParams?
                var namedVectors: [String: NamedVectorParams]?
                var sparseVectors: [String: SparseVectorParams]?

                enum CodingKeys: String, CodingKey {
                    case vectors
                    case sparseVectors = "sparse_vectors"
                }

                init(from decoder: any Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                    // One unnamed vector is an object with `size`; named vectors are a map of such objects.
                    vectors = try? container.decode(VectorParams.self, forKey: .vectors)
                    namedVectors =
                        vectors == nil ? try? container.decode([String: NamedVectorParams].self, forKey: .vectors) : nil
                    sparseVectors = try? container.decode([String: SparseVectorParams].self, forKey: .sparseVectors)
                }
            }
            var params: Params
            var metadata: QdrantHybridMetadata?

            enum CodingKeys: String, CodingKey { case params, metadata }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                params = try container.decode(Params.self, forKey: .params)
                // Metadata written by someone else is not an error, just not aigov's.
                metadata = try? container.decodeIfPresent(QdrantHybridMetadata.self, forKey: .metadata)
            }
        }
        var config: Config
        var pointsCount: Int?

        enum CodingKeys: String, CodingKey {
            case config
            case pointsCount = "points_count"
        }
    }

    struct ScoredPoint: Decodable {
        var id: PointID
        var score: Double
        var payload: QdrantChunkPayload?
    }

    struct QueryResult: Decodable {
        var points: [ScoredPoint]
    }

    struct CountResult: Decodable {
        var count: Int
    }

    struct Record: Decodable {
        var id: PointID
        var payload: QdrantChunkPayload?
    }

    struct ScrollResult: Decodable {
        var points: [Record]
        var nextPageOffset: PointID?

        enum CodingKeys: String, CodingKey {
            case points
            case nextPageOffset = "next_page_offset"
        }
    }

    /// `result` of writes: `{"operation_id": 3, "status": "completed"}`.
    struct UpdateResult: Decodable {
        var status: String
    }

    /// Anything: for results aigov does not read (`true`, ...).
    struct Ignored: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
