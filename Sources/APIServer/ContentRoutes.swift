import ConcurrencySupport
import Crypto
import Documents
import Foundation
import Hummingbird
import Knowledge

/// `POST /api/content/ingest` (text in JSON) and `POST /api/content/upload` (a file, multipart), both for
/// admins; each answers 201 `{document_id, status, chunks}`.
struct ContentRoutes: Sendable {
    let state: ServerState

    static let maxTitle = 500
    static let maxURL = 2048
    static let maxMetadataEntries = 64

    struct IngestResponse: Encodable {
        var documentID: String
        var status: String
        var chunks: Int
        var chunksAdded: Int
        var chunksRemoved: Int

        enum CodingKeys: String, CodingKey {
            case documentID = "document_id"
            case status, chunks
            case chunksAdded = "chunks_added"
            case chunksRemoved = "chunks_removed"
        }

        init(_ outcome: DocumentOutcome) {
            documentID = outcome.documentID
            status = outcome.status.rawValue
            chunks = outcome.chunks
            chunksAdded = outcome.chunksAdded
            chunksRemoved = outcome.chunksRemoved
        }
    }

    /// `{title, source, url?, content, metadata?, document_id?}`.
    struct IngestRequest: Decodable {
        var title: String
        var source: String
        var url: String?
        var content: String
        var metadata: [String: String]
        var documentID: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case title, source, url, content, metadata
            case documentID = "document_id"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(allowed: Set(CodingKeys.allCases.map(\.rawValue)))
            let container = try decoder.container(keyedBy: CodingKeys.self)
            title = try ContentFields.text(container.decode(String.self, forKey: .title), "title")
            source = try ContentFields.text(container.decode(String.self, forKey: .source), "source")
            url = try container.decodeIfPresent(String.self, forKey: .url).map { try ContentFields.url($0, "url") }
            content = try container.decode(String.self, forKey: .content)
            guard !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw APIError.invalid("content", "must not be empty")
            }
            try TextRules.checkControls(content, field: "content")
            metadata = try ContentFields.metadata(container)
            documentID = try container.decodeIfPresent(String.self, forKey: .documentID).map {
                try ContentFields.documentID($0, "document_id")
            }
        }
    }

    func ingest(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBodies.json(
            IngestRequest.self, from: &request, limit: state.configuration.maxJSONBodyBytes)
        let id = body.documentID ?? Self.derivedID(title: body.title, source: body.source, url: body.url)
        let options = DocumentLoader.Options(id: id, title: body.title, source: body.source, url: body.url)
        let content = Data(body.content.utf8)
        // The text is read as Markdown (headings give the chunker its structure).
        var document = try await blocking {
            try DocumentLoader().load(data: content, fileName: "\(id).md", options: options)
        }
        document.metadata.merge(body.metadata) { _, new in new }
        let outcome = try await state.knowledgeBase.commit(document)
        context.logger.info(
            "document ingested",
            metadata: ["document_id": .string(id), "status": .string(outcome.status.rawValue)])
        return JSONResponse.make(IngestResponse(outcome), status: .created)
    }

    func upload(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        var request = request
        guard let contentType = request.headers[.contentType],
            let boundary = MultipartFormData.boundary(fromContentType: contentType)
        else {
            throw APIError.unsupportedMediaType(expected: "multipart/form-data with a boundary")
        }
        let buffer = try await RequestBodies.collect(&request, limit: state.configuration.maxUploadBytes)
        let parts: [MultipartFormData.Part]
        do {
            // Scanning up to 50 MB for boundaries is CPU work: off the cooperative pool.
            let bytes = Data(buffer.readableBytesView)
            parts = try await blocking { try MultipartFormData.parse(bytes, boundary: boundary) }
        } catch let error as MultipartFormData.ParseError {
            throw APIError.malformed(error.message)
        }
        guard let file = parts.first(where: { $0.name == "file" }) else {
            throw APIError.invalid("file", "field required")
        }
        guard !file.body.isEmpty else { throw APIError.invalid("file", "the file is empty") }
        func field(_ name: String) throws -> String? {
            guard let part = parts.first(where: { $0.name == name }) else { return nil }
            guard let text = String(data: part.body, encoding: .utf8) else {
                throw APIError.invalid(name, "must be UTF-8 text")
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        let fileName = Self.safeFileName(file.fileName)
        let title = try field("title").map { try ContentFields.text($0, "title") }
        let source = try field("source").map { try ContentFields.text($0, "source") }
        let url = try field("url").map { try ContentFields.url($0, "url") }
        let id = try field("document_id").map { try ContentFields.documentID($0, "document_id") }
        let options = DocumentLoader.Options(id: id ?? fileName, title: title, source: source, url: url)
        let outcome = try await state.knowledgeBase.ingest(data: file.body, fileName: fileName, options: options)
        context.logger.info(
            "document uploaded",
            metadata: ["document_id": .string(outcome.documentID), "status": .string(outcome.status.rawValue)])
        return JSONResponse.make(IngestResponse(outcome), status: .created)
    }

    /// The last path component of a client's file name, without control characters; `upload` if none is
    /// left. (The name becomes the default document id and is shown in errors.)
    static func safeFileName(_ name: String?) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200))
        let trimmed = cleaned.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "." || trimmed == ".." ? "upload" : trimmed
    }

    /// A stable id for text ingested without one: the URL's or title's slug plus a short hash of the
    /// fields, so the same title from the same source updates the same document.
    static func derivedID(title: String, source: String, url: String?) -> String {
        let basis = url ?? "\(source)\n\(title)"
        let digest = SHA256.hash(data: Data(basis.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
        let slug = title.lowercased().unicodeScalars.map { scalar -> Character in
            (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) && scalar.isASCII
                ? Character(scalar) : "-"
        }
        let collapsed = String(slug).split(separator: "-").prefix(8).joined(separator: "-")
        return (collapsed.isEmpty ? "document" : String(collapsed.prefix(80))) + "-" + digest
    }
}

/// Validation of the content routes' fields.
enum ContentFields {
    static func text(_ value: String, _ field: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw APIError.invalid(field, "must not be empty") }
        try TextRules.check(trimmed, field: field, maxScalars: ContentRoutes.maxTitle)
        return trimmed
    }

    static func url(_ value: String, _ field: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.check(trimmed, field: field, maxScalars: ContentRoutes.maxURL)
        guard let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            components.host?.isEmpty == false
        else { throw APIError.invalid(field, "must be an absolute http or https URL") }
        return trimmed
    }

    /// 1-200 characters of letters, digits and `._:-` (ids appear in URLs and file names).
    static func documentID(_ value: String, _ field: String) throws -> String {
        guard (1...200).contains(value.utf8.count),
            value.unicodeScalars.allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._:-".unicodeScalars.contains($0))
            })
        else { throw APIError.invalid(field, "must be 1-200 characters of letters, digits, '.', '_', ':' or '-'") }
        return value
    }

    /// `metadata`: an object of strings, numbers or booleans (stored as strings).
    static func metadata<Keys: CodingKey>(_ container: KeyedDecodingContainer<Keys>) throws -> [String: String] {
        guard let key = container.allKeys.first(where: { $0.stringValue == "metadata" }),
            try !container.decodeNil(forKey: key)
        else { return [:] }
        let values: [String: MetadataValue] = try container.decode([String: MetadataValue].self, forKey: key)
        guard values.count <= ContentRoutes.maxMetadataEntries else {
            throw APIError.invalid("metadata", "at most \(ContentRoutes.maxMetadataEntries) entries")
        }
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty else { throw APIError.invalid("metadata", "keys must not be empty") }
            try TextRules.check(name, field: "metadata", maxScalars: 100)
            try TextRules.check(value.text, field: "metadata.\(name.prefix(100))", maxScalars: 2000, multiline: true)
        }
        return values.mapValues(\.text)
    }

    struct MetadataValue: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(String.self) {
                text = value
            } else if let value = try? container.decode(Bool.self) {
                text = value ? "true" : "false"
            } else if let value = try? container.decode(Int.self) {
                text = String(value)
            } else if let value = try? container.decode(Double.self) {
                text = String(value)
            } else {
                throw APIError.invalid(RequestBodies.path(decoder.codingPath), "must be a string, number or boolean")
            }
        }
    }
}
