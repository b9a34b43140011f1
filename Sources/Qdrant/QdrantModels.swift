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

    /// A payload with every field given.
    public init(
        chunkID: String, documentID: String, title: String, source: String, url: String?, docType: String,
        section: String?, pageStart: Int?, pageEnd: Int?, chunkIndex: Int, text: String, contentHash: String
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
    }

    enum CodingKeys: String, CodingKey {
        case chunkID = "chunk_id"
        case documentID = "document_id"
        case title, source, url, section, text
        case docType = "doc_type"
        case pageStart = "page_start"
        case pageEnd = "page_end"
        case chunkIndex = "chunk_index"
        case contentHash = "content_hash"
    }

    /// Payload fields that get a keyword index: the filters aigov uses, and the two Qdrant Cloud's strict
    /// mode needs for filtered deletes and lookups.
    public static let indexedKeywordFields = ["document_id", "content_hash", "source", "doc_type", "section"]
}

/// One point to upsert: a UUID id (``QdrantPointID``), the vector and the payload.
public struct QdrantPoint: Encodable, Sendable, Equatable {
    public var id: String
    public var vector: [Float]
    public var payload: QdrantChunkPayload

    /// A point with every field given.
    public init(id: String, vector: [Float], payload: QdrantChunkPayload) {
        self.id = id
        self.vector = vector
        self.payload = payload
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

                enum CodingKeys: String, CodingKey { case vectors }

                init(from decoder: any Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                    // Named vectors decode as a map and leave `vectors` nil: aigov uses the unnamed vector.
                    vectors = try? container.decode(VectorParams.self, forKey: .vectors)
                }
            }
            var params: Params
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
