import Foundation
import Retrieval

/// Limits on search input (ARCHITECTURE.md section 8 and 11), in Unicode scalars (see ``TextRules``).
enum SearchLimits {
    static let maxQuestionCharacters = 2000
    static let topK = 1...50
    static let maxFilterValues = 100
    static let maxFilterValueCharacters = 512
}

/// The `filters` object of a search: `{document_ids?, sources?, doc_types?, section?}`.
struct SearchFilters: Decodable, Sendable {
    var documentIDs: [String]?
    var sources: [String]?
    var docTypes: [String]?
    var section: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case documentIDs = "document_ids"
        case sources
        case docTypes = "doc_types"
        case section
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        documentIDs = try Self.list(container, .documentIDs)
        sources = try Self.list(container, .sources)
        docTypes = try Self.list(container, .docTypes)
        section = try container.decodeIfPresent(String.self, forKey: .section)
        if let section {
            let trimmed = section.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw APIError.invalid("filters.section", "must not be empty") }
            try TextRules.check(trimmed, field: "filters.section", maxScalars: SearchLimits.maxFilterValueCharacters)
            self.section = trimmed
        }
    }

    private static func list(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [String]? {
        guard let values = try container.decodeIfPresent([String].self, forKey: key) else { return nil }
        let field = "filters.\(key.rawValue)"
        guard values.count <= SearchLimits.maxFilterValues else {
            throw APIError.invalid(field, "at most \(SearchLimits.maxFilterValues) values")
        }
        for value in values {
            guard !value.isEmpty else { throw APIError.invalid(field, "values must be non-empty strings") }
            try TextRules.check(value, field: field, maxScalars: SearchLimits.maxFilterValueCharacters)
        }
        return values
    }

    /// The retrieval filter; an empty list admits nothing, as asked.
    var searchFilter: SearchFilter {
        SearchFilter(
            documentIDs: documentIDs.map(Set.init), sources: sources.map(Set.init), docTypes: docTypes.map(Set.init),
            sectionPrefix: section)
    }
}

/// Shared validation of the search text, `top_k` and `mode` fields.
private enum SearchFields {
    static func text(_ value: String, field: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw APIError.invalid(field, "must not be empty") }
        try TextRules.check(trimmed, field: field, maxScalars: SearchLimits.maxQuestionCharacters, multiline: true)
        return trimmed
    }

    /// Read as a number, so `2.5` and `1e300` are reported as out of rule (422) rather than unreadable.
    static func topK(_ value: Double?) throws -> Int {
        guard let value else { return 5 }
        guard value.rounded() == value, value >= Double(SearchLimits.topK.lowerBound),
            value <= Double(SearchLimits.topK.upperBound)
        else { throw APIError.invalid("top_k", "must be a whole number between 1 and 50") }
        return Int(value)
    }

    static func mode(_ value: String?) throws -> SearchMode {
        guard let value else { return .hybrid }
        guard let mode = SearchMode(rawValue: value) else {
            throw APIError.invalid("mode", "must be one of hybrid, dense, lexical")
        }
        return mode
    }
}

/// `POST /api/search/query`.
struct QueryRequest: Decodable, Sendable {
    var question: String
    var topK: Int
    var mode: SearchMode
    var filters: SearchFilters?
    var stream: Bool
    /// Asks for the live web fallback (used only when `ENABLE_REALTIME_WEB` is on and local retrieval is weak).
    var useWebFallback: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case question
        case topK = "top_k"
        case mode, filters, stream
        case useWebFallback = "use_web_fallback"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        question = try SearchFields.text(try container.decode(String.self, forKey: .question), field: "question")
        topK = try SearchFields.topK(try container.decodeIfPresent(Double.self, forKey: .topK))
        mode = try SearchFields.mode(try container.decodeIfPresent(String.self, forKey: .mode))
        filters = try container.decodeIfPresent(SearchFilters.self, forKey: .filters)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        useWebFallback = try container.decodeIfPresent(Bool.self, forKey: .useWebFallback) ?? false
    }
}

/// `POST /api/search/retrieve`.
struct RetrieveRequest: Decodable, Sendable {
    var query: String
    var topK: Int
    var mode: SearchMode
    var filters: SearchFilters?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case query
        case topK = "top_k"
        case mode, filters
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        query = try SearchFields.text(try container.decode(String.self, forKey: .query), field: "query")
        topK = try SearchFields.topK(try container.decodeIfPresent(Double.self, forKey: .topK))
        mode = try SearchFields.mode(try container.decodeIfPresent(String.self, forKey: .mode))
        filters = try container.decodeIfPresent(SearchFilters.self, forKey: .filters)
    }
}
