import TextAnalysis

/// The in-memory contents of a ``RetrievalIndex``: the graph (which owns the vectors), the stored fields
/// per graph label, the id map and the BM25 index. Not synchronised itself; ``RetrievalIndex`` reads it
/// under its shared lock and mutates it under its exclusive lock, with one writer at a time.
final class IndexState {
    let configuration: IndexConfiguration
    let graph: HNSWIndex
    /// Fields by graph label; nil for deleted or replaced rows.
    private(set) var fields: [StoredFields?] = []
    /// `fields[label] != nil`, kept apart because exact search asks it for every row: reading the optional
    /// struct copied (retained and released) its strings, a quarter of a dense query's time.
    private(set) var live: [Bool] = []
    private(set) var labels: [String: UInt32] = [:]
    private(set) var bm25: BM25Index
    private(set) var documentLabels: [String: Set<UInt32>] = [:]
    private(set) var sourceCounts: [String: Int] = [:]
    private(set) var docTypeCounts: [String: Int] = [:]
    /// ``DefinitionLookup/definitionText(_:)`` of the live passages that have one (those saying "means").
    private(set) var definitionTexts: [UInt32: String] = [:]
    /// The kinds of quantity each label's passage states (``AnswerTypes/stated(in:)``), read once here so the
    /// answer-type prior costs the search nothing; empty for retired labels.
    private(set) var quantities: [AnswerTypes] = []

    init(configuration: IndexConfiguration, graph: HNSWIndex? = nil) {
        self.configuration = configuration
        bm25 = BM25Index(tokenizer: Tokenizer(stemming: configuration.stemming))
        self.graph =
            graph
            ?? HNSWIndex(
                dimension: configuration.dimension, metric: configuration.metric, parameters: configuration.hnsw)
    }

    var liveCount: Int { labels.count }

    /// Whether a graph label is a live record (a label the writer has added to the graph but not yet
    /// registered here is not).
    @inline(__always)
    func isLive(_ label: UInt32) -> Bool { Int(label) < live.count && live[Int(label)] }

    /// Registers fields for a label just added to the graph, retiring any older row with the same id.
    func register(label: UInt32, fields record: StoredFields, tokens: [String]) {
        if let old = labels[record.id] { retire(old) }
        if Int(label) >= fields.count {
            fields += repeatElement(nil, count: Int(label) + 1 - fields.count)
            live += repeatElement(false, count: Int(label) + 1 - live.count)
        }
        if Int(label) >= quantities.count {
            quantities += repeatElement([], count: Int(label) + 1 - quantities.count)
        }
        quantities[Int(label)] = AnswerTypes.stated(in: record.text)
        fields[Int(label)] = record
        live[Int(label)] = true
        labels[record.id] = label
        bm25.add(label: label, tokens: tokens)
        documentLabels[record.documentID, default: []].insert(label)
        sourceCounts[record.source, default: 0] += 1
        docTypeCounts[record.docType, default: 0] += 1
        if let folded = DefinitionLookup.definitionText(record.text) { definitionTexts[label] = folded }
    }

    /// Removes the record with `id`; returns false if there is none.
    @discardableResult
    func remove(id: String) -> Bool {
        guard let label = labels[id] else { return false }
        retire(label)
        return true
    }

    private func retire(_ label: UInt32) {
        guard let record = fields[Int(label)] else { return }
        fields[Int(label)] = nil
        live[Int(label)] = false
        definitionTexts[label] = nil
        quantities[Int(label)] = []
        labels[record.id] = nil
        graph.markDeleted(label)
        bm25.remove(label: label, text: record.text)
        documentLabels[record.documentID]?.remove(label)
        if documentLabels[record.documentID]?.isEmpty == true { documentLabels[record.documentID] = nil }
        sourceCounts[record.source, default: 1] -= 1
        if sourceCounts[record.source] == 0 { sourceCounts[record.source] = nil }
        docTypeCounts[record.docType, default: 1] -= 1
        if docTypeCounts[record.docType] == 0 { docTypeCounts[record.docType] = nil }
    }

    /// An upper bound on how many live records `filter` admits, from the per-field counts.
    func estimatedMatches(_ filter: SearchFilter) -> Int {
        var bound = liveCount
        if let ids = filter.documentIDs { bound = min(bound, ids.reduce(0) { $0 + (documentLabels[$1]?.count ?? 0) }) }
        if let sources = filter.sources { bound = min(bound, sources.reduce(0) { $0 + (sourceCounts[$1] ?? 0) }) }
        if let types = filter.docTypes { bound = min(bound, types.reduce(0) { $0 + (docTypeCounts[$1] ?? 0) }) }
        return bound
    }

    /// The live labels `filter` admits, found through the document map when it names documents.
    func matchingLabels(_ filter: SearchFilter) -> [UInt32] {
        if let ids = filter.documentIDs {
            return ids.flatMap { documentLabels[$0] ?? [] }.filter { filter.matches(fields[Int($0)]!) }.sorted()
        }
        return fields.indices.compactMap { i in
            guard let record = fields[i], filter.matches(record) else { return nil }
            return UInt32(i)
        }
    }
}
