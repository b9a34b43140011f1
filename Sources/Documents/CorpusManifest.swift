import Foundation

/// What a folder says about its documents: `manifest.json` beside them gives each file the short title a
/// citation shows ("EU AI Act (Regulation (EU) 2024/1689)" rather than the act's 60-word official title), its
/// publisher as the source, its official URL and its kind (regulation, framework, guidance ...).
///
/// ```json
/// {"version": 1,
///  "documents": {"eu-ai-act_regulation-2024-1689_oj.pdf": {"title": "...", "source": "...", "url": "...",
///                                                          "type": "regulation"}}}
/// ```
///
/// Every field of an entry is optional; a file without an entry keeps what its loader derives (see
/// ``ShortTitle``). The manifest is strict, because a typo would otherwise silently leave a document with its
/// long title: unknown keys, entries naming files that are not in the folder, empty values and a URL that is
/// not http(s) are errors (`IngestError` code `bad_manifest`), and the ingest stops before touching anything.
public struct CorpusManifest: Sendable, Equatable {
    /// The file name looked for in a directory being ingested; it is never ingested itself.
    public static let fileName = "manifest.json"

    /// One document's fields.
    public struct Entry: Sendable, Equatable {
        public var title: String?
        public var source: String?
        public var url: String?
        /// The kind of document, kept in its metadata as `document_type`.
        public var type: String?
    }

    /// Entries by file name.
    public var documents: [String: Entry]

    /// The manifest of `directory`, or nil when it has none.
    ///
    /// - Throws: `IngestError` `bad_manifest` naming the problem.
    public static func load(directory: URL) throws(IngestError) -> CorpusManifest? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw IngestError(.badManifest, file: url.path, "cannot be read")
        }
        let manifest = try parse(data, file: url.path)
        for name in manifest.documents.keys.sorted()
        where !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            throw IngestError(.badManifest, file: url.path, "names \(name), which is not in \(directory.path)")
        }
        return manifest
    }

    /// The manifests of the folders holding `files`, by standardized folder path; folders without one are left
    /// out. Read before anything is ingested, so a bad manifest stops the run before it changes anything.
    public static func manifests(for files: [URL]) throws(IngestError) -> [String: CorpusManifest] {
        var result: [String: CorpusManifest] = [:]
        var seen = Set<String>()
        for file in files {
            let folder = file.deletingLastPathComponent().standardizedFileURL
            guard seen.insert(folder.path).inserted else { continue }
            if let manifest = try load(directory: folder) { result[folder.path] = manifest }
        }
        return result
    }

    /// Parses manifest bytes; `file` names them in errors.
    public static func parse(_ data: Data, file: String) throws(IngestError) -> CorpusManifest {
        func fail(_ detail: String) -> IngestError { IngestError(.badManifest, file: file, detail) }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("is not a JSON object")
        }
        if let unknown = Set(root.keys).subtracting(["version", "documents"]).sorted().first {
            throw fail("unknown key '\(unknown)' (expected version and documents)")
        }
        guard (root["version"] as? NSNumber)?.intValue == 1 else { throw fail("version must be 1") }
        guard let documents = root["documents"] as? [String: Any] else {
            throw fail("documents must be an object of file name to entry")
        }
        var entries: [String: Entry] = [:]
        for (name, value) in documents {
            guard !name.isEmpty, !name.contains("/"), name != fileName else {
                throw fail("'\(name)' is not a file name in this folder")
            }
            guard let fields = value as? [String: Any] else { throw fail("the entry of \(name) must be an object") }
            if let unknown = Set(fields.keys).subtracting(["title", "source", "url", "type"]).sorted().first {
                throw fail("unknown key '\(unknown)' in the entry of \(name) (expected title, source, url, type)")
            }
            func text(_ key: String, limit: Int) throws(IngestError) -> String? {
                guard let raw = fields[key] else { return nil }
                guard let value = raw as? String else { throw fail("\(key) of \(name) must be a string") }
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= limit,
                    !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
                else { throw fail("\(key) of \(name) must be 1 to \(limit) characters without control characters") }
                return trimmed
            }
            let entry = Entry(
                title: try text("title", limit: 500), source: try text("source", limit: 500),
                url: try text("url", limit: 2_000), type: try text("type", limit: 64))
            if let url = entry.url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                throw fail("url of \(name) must start with https:// or http://")
            }
            entries[name] = entry
        }
        return CorpusManifest(documents: entries)
    }

    /// `options` with this manifest's entry for `file` filled in where the caller left a field unset: a flag
    /// given on the command line wins over the manifest.
    public func options(for file: URL, _ options: DocumentLoader.Options) -> DocumentLoader.Options {
        guard let entry = documents[file.lastPathComponent] else { return options }
        var merged = options
        merged.title = options.title ?? entry.title
        merged.source = options.source ?? entry.source
        merged.url = options.url ?? entry.url
        merged.documentType = options.documentType ?? entry.type
        return merged
    }
}
