import Foundation

/// The JSON input shape `{title, source, url?, content, metadata?}` (the API's ingest body as a file).
struct JSONDocument {
    var title: String
    var source: String
    var url: String?
    var metadata: [String: String]
    var builder: TextBuilder

    static func decode(_ data: Data, fileName: String) throws -> JSONDocument {
        let shape = "expected a JSON object {title, source, url?, content, metadata?}"
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw IngestError(.unsupported, file: fileName, shape)
        }
        guard let title = object["title"] as? String, let source = object["source"] as? String,
            let content = object["content"] as? String
        else {
            throw IngestError(.unsupported, file: fileName, "\(shape); title, source and content must be strings")
        }
        var metadata: [String: String] = [:]
        if let raw = object["metadata"] as? [String: Any] {
            for (key, value) in raw {
                switch value {
                case let string as String: metadata[key] = string
                case let number as NSNumber: metadata[key] = number.stringValue
                default:
                    if let encoded = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) {
                        metadata[key] = String(decoding: encoded, as: UTF8.self)
                    }
                }
            }
        }
        // The content may itself be Markdown; its headings give structure either way.
        let markdown = MarkdownLoader.parse(content)
        return JSONDocument(
            title: title, source: source, url: object["url"] as? String, metadata: metadata,
            builder: markdown.builder)
    }
}
