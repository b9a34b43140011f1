import Foundation
import Retrieval
import Store

/// What an index record keeps to cite its chunk without the store (``IndexRecord/citation``): the ordinal, pages,
/// the document's title and URL, and whether the record's text starts with the heading line that
/// ``KnowledgeBase/embeddingText(of:)`` put in front of the chunk. A replica whose database is away answers
/// searches from these (docs/ARCHITECTURE.md, "Replicas follow the store"); any change to them re-writes the
/// record, so they follow the store like the rest of the record.
struct IndexedCitation: Codable, Equatable {
    var ordinal: Int
    var pageStart: Int?
    var pageEnd: Int?
    var title: String
    var url: String?
    /// The record's text is the heading, a newline, then the chunk's text.
    var headed: Bool

    enum CodingKeys: String, CodingKey {
        case ordinal = "o"
        case pageStart = "ps"
        case pageEnd = "pe"
        case title = "t"
        case url = "u"
        case headed = "h"
    }

    init(chunk: StoredChunk, document: StoredDocument, text: String) {
        ordinal = chunk.ordinal
        pageStart = chunk.pageStart
        pageEnd = chunk.pageEnd
        title = document.title
        url = document.url
        headed = text != chunk.text
    }

    /// The compact JSON stored in the record.
    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The citation of `record`, or nil when it has none (written before citations were kept) or it does not
    /// decode.
    static func citation(of record: IndexRecord, score: Double) -> Citation? {
        guard !record.citation.isEmpty,
            let kept = try? JSONDecoder().decode(IndexedCitation.self, from: Data(record.citation.utf8))
        else { return nil }
        var content = record.text
        if kept.headed, let newline = content.firstIndex(of: "\n") {
            content = String(content[content.index(after: newline)...])
        }
        return Citation(
            content: content, documentTitle: kept.title, documentSource: record.source, documentURL: kept.url,
            chunkIndex: kept.ordinal, chunkID: record.id, documentID: record.documentID,
            section: record.section.isEmpty ? nil : record.section, pageStart: kept.pageStart, pageEnd: kept.pageEnd,
            score: score)
    }
}
