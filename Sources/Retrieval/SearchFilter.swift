/// Restricts a search to records whose fields match. Every field that is set must match; nil means any.
public struct SearchFilter: Sendable, Equatable {
    /// Admit only these documents.
    public var documentIDs: Set<String>?
    /// Admit only these sources.
    public var sources: Set<String>?
    /// Admit only these document types.
    public var docTypes: Set<String>?
    /// Matches a section equal to it or continuing it at a boundary, case-insensitively: `Article 6`
    /// matches `Article 6` and `Article 6(1)(a)` but not `Article 60`.
    public var sectionPrefix: String?

    /// A filter; fields left nil admit everything.
    public init(
        documentIDs: Set<String>? = nil, sources: Set<String>? = nil, docTypes: Set<String>? = nil,
        sectionPrefix: String? = nil
    ) {
        self.documentIDs = documentIDs
        self.sources = sources
        self.docTypes = docTypes
        self.sectionPrefix = sectionPrefix
    }

    /// Whether the filter admits everything.
    public var isEmpty: Bool { documentIDs == nil && sources == nil && docTypes == nil && sectionPrefix == nil }

    func matches(_ fields: StoredFields) -> Bool {
        if let documentIDs, !documentIDs.contains(fields.documentID) { return false }
        if let sources, !sources.contains(fields.source) { return false }
        if let docTypes, !docTypes.contains(fields.docType) { return false }
        if let sectionPrefix, !Self.section(fields.section, continues: sectionPrefix) { return false }
        return true
    }

    /// Whether `section` equals `prefix` or continues it at a boundary (the rule of ``sectionPrefix``), for
    /// engines that filter by prefix themselves and check the boundary after.
    public static func section(_ section: String, continues prefix: String) -> Bool {
        let s = Array(section.lowercased().unicodeScalars)
        let p = Array(prefix.lowercased().unicodeScalars)
        guard s.count >= p.count, Array(s[0..<p.count]) == p else { return false }
        guard s.count > p.count, let lastOfPrefix = p.last else { return true }
        // Continuing "article 6" with "0" would name another article; continuing with "(" or " " does not.
        let isAlnum: (Unicode.Scalar) -> Bool = { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        return !(isAlnum(lastOfPrefix) && isAlnum(s[p.count]))
    }
}
