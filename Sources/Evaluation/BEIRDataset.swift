import Foundation

/// One corpus entry of a BEIR dataset.
public struct BEIRDocument: Sendable, Equatable {
    public var id: String
    public var title: String
    public var text: String

    public init(id: String, title: String, text: String) {
        self.id = id
        self.title = title
        self.text = text
    }
}

/// A dataset in BEIR's layout: `corpus.jsonl` (`_id`, `title`, `text`), `queries.jsonl` (`_id`, `text`) and
/// `qrels/<split>.tsv` (`query-id`, `corpus-id`, `score`, after a header line).
public struct BEIRDataset: Sendable {
    /// In file order.
    public var documents: [BEIRDocument]
    /// The queries the split judges, as BEIR's loader keeps them: (id, text) in query-file order.
    public var queries: [(id: String, text: String)]
    public var qrels: Qrels

    /// Reads the dataset in `directory`.
    ///
    /// - Throws: ``EvaluationError`` `missing_file` for an absent file, `bad_line` (with file and line) for a
    ///   line that is not the expected JSON object or three tab-separated fields, `inconsistent` when the
    ///   corpus is empty or a judged query is missing from `queries.jsonl`.
    public static func load(directory: URL, split: String = "test") throws -> BEIRDataset {
        let corpusURL = directory.appendingPathComponent("corpus.jsonl")
        let queriesURL = directory.appendingPathComponent("queries.jsonl")
        let qrelsURL = directory.appendingPathComponent("qrels").appendingPathComponent("\(split).tsv")
        var documents: [BEIRDocument] = []
        var seen = Set<String>()
        try forEachJSONLine(corpusURL) { object, line in
            guard let id = identifier(object["_id"]) else {
                throw EvaluationError(.badLine, "\(corpusURL.path) line \(line): expected a string \"_id\"")
            }
            guard let text = object["text"] as? String else {
                throw EvaluationError(.badLine, "\(corpusURL.path) line \(line): expected a string \"text\"")
            }
            guard seen.insert(id).inserted else {
                throw EvaluationError(.badLine, "\(corpusURL.path) line \(line): document id \(id) repeats")
            }
            documents.append(BEIRDocument(id: id, title: object["title"] as? String ?? "", text: text))
        }
        guard !documents.isEmpty else { throw EvaluationError(.inconsistent, "\(corpusURL.path) holds no documents") }
        var texts: [(id: String, text: String)] = []
        try forEachJSONLine(queriesURL) { object, line in
            guard let id = identifier(object["_id"]), let text = object["text"] as? String else {
                throw EvaluationError(
                    .badLine, "\(queriesURL.path) line \(line): expected a string \"_id\" and a string \"text\"")
            }
            texts.append((id, text))
        }
        let qrels = try loadQrels(qrelsURL)
        let queries = texts.filter { qrels[$0.id] != nil }
        let known = Set(queries.map(\.id))
        if let missing = qrels.keys.sorted().first(where: { !known.contains($0) }) {
            throw EvaluationError(
                .inconsistent, "\(qrelsURL.path) judges query \(missing), which \(queriesURL.path) lacks")
        }
        return BEIRDataset(documents: documents, queries: queries, qrels: qrels)
    }

    /// Reads a qrels file: an optional header line (its third field is not a number), then
    /// `query-id<TAB>corpus-id<TAB>grade` lines; blank lines are skipped.
    public static func loadQrels(_ url: URL) throws -> Qrels {
        let text = try read(url)
        var qrels: Qrels = [:]
        for (number, line) in lines(text).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let grade = Int(fields[2].trimmingCharacters(in: .whitespaces)) else {
                if number == 0 && fields.count == 3 { continue }  // the header
                throw EvaluationError(
                    .badLine,
                    "\(url.path) line \(number + 1): expected query id, document id and an integer grade "
                        + "separated by tabs")
            }
            qrels[String(fields[0]), default: [:]][String(fields[1])] = grade
        }
        guard !qrels.isEmpty else { throw EvaluationError(.inconsistent, "\(url.path) judges no query") }
        return qrels
    }

    /// Ids are strings in BEIR files, but some exports write numbers.
    private static func identifier(_ value: Any?) -> String? {
        if let string = value as? String, !string.isEmpty { return string }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }

    /// The lines of `text`, split at "\n" with a trailing "\r" dropped. Not `split(separator: "\n")`: Swift reads
    /// "\r\n" as one character, so that would join CRLF lines; nor `isNewline`, which also splits at U+2028,
    /// which JSON strings may hold unescaped.
    static func lines(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { scalars in
            var line = String(String.UnicodeScalarView(scalars))
            if line.unicodeScalars.last == "\r" { line.unicodeScalars.removeLast() }
            return line
        }
    }

    static func read(_ url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw EvaluationError(.missingFile, "cannot read \(url.path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func forEachJSONLine(_ url: URL, _ body: ([String: Any], Int) throws -> Void) throws {
        let text = try read(url)
        for (number, line) in lines(text).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw EvaluationError(.badLine, "\(url.path) line \(number + 1): not a JSON object")
            }
            try body(object, number + 1)
        }
    }
}
