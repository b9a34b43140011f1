/// One retrievable unit (a chunk): its stable id, embedding, text for BM25 and the fields filters use.
public struct IndexRecord: Sendable, Equatable {
    /// Stable identifier; inserting a record with an existing id replaces it.
    public var id: String
    /// The embedding; its length must equal the index dimension.
    public var vector: [Float]
    /// The text indexed for lexical (BM25) search.
    public var text: String
    /// The document the record belongs to (filterable).
    public var documentID: String
    /// Where the document came from, e.g. `eu`, `nist` (filterable).
    public var source: String
    /// Kind of document, e.g. `regulation`, `guidance` (filterable).
    public var docType: String
    /// Structural location, e.g. `Article 6(1)`, `Annex III`, `GOVERN 1.1`.
    public var section: String
    /// Embeddings of the record's windows (a few sentences each, see ``RankingOptions/windowShare``), each of
    /// the index dimension; empty when the record is one window. Used under the cosine metric only.
    public var windows: [[Float]]
    /// What the caller needs to cite the record without its database (for aigov: the chunk's ordinal, pages and
    /// document title, see `Knowledge/IndexedCitation.swift`), opaque to the index; empty when none was given.
    public var citation: String

    /// A record; only the id and vector are required.
    public init(
        id: String, vector: [Float], text: String = "", documentID: String = "", source: String = "",
        docType: String = "", section: String = "", windows: [[Float]] = [], citation: String = ""
    ) {
        self.citation = citation
        self.windows = windows
        self.id = id
        self.vector = vector
        self.text = text
        self.documentID = documentID
        self.source = source
        self.docType = docType
        self.section = section
    }
}

/// The fields stored per record besides the vector.
struct StoredFields: Sendable, Equatable {
    var id: String
    var text: String
    var documentID: String
    var source: String
    var docType: String
    var section: String
    /// The record's window vectors end to end (unit length under cosine), `dimension` floats each.
    var windows: [Float] = []
    /// ``IndexRecord/citation``.
    var citation = ""

    init(_ record: IndexRecord) {
        citation = record.citation
        id = record.id
        text = record.text
        documentID = record.documentID
        source = record.source
        docType = record.docType
        section = record.section
        windows = record.windows.flatMap { $0 }
    }

    init(
        id: String, text: String, documentID: String, source: String, docType: String, section: String,
        windows: [Float] = []
    ) {
        self.windows = windows
        self.id = id
        self.text = text
        self.documentID = documentID
        self.source = source
        self.docType = docType
        self.section = section
    }
}
