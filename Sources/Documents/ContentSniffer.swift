import Foundation

/// The kinds of input the loaders read.
public enum DocumentType: String, Sendable, CaseIterable {
    case pdf, html, markdown, text, json
}

/// Decides a document's type from its bytes first and its file name second, so a PDF saved as `.txt` or an
/// HTML page without an extension is still read correctly, and binary files are refused.
public enum ContentSniffer {
    /// The type of `bytes`, or nil when they are not a supported document (binary, or not UTF-8 text).
    public static func sniff(_ bytes: Data, fileName: String? = nil) -> DocumentType? {
        let head = bytes.prefix(2048)
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        // Binary: NUL bytes, or bytes that are not UTF-8.
        if head.contains(0) { return nil }
        let sample = Data(bytes.prefix(65536))
        let complete = sample.count == bytes.count
        guard String(data: complete ? sample : trimmedUTF8(sample), encoding: .utf8) != nil else { return nil }
        let text = String(decoding: head, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = text.lowercased()
        let htmlStart = lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html")
        if htmlStart || (lower.hasPrefix("<") && (lower.contains("<head") || lower.contains("<body"))) {
            return .html
        }
        if (text.hasPrefix("{") || text.hasPrefix("["))
            && (try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])) != nil
        {
            return .json
        }
        let ext = fileName.map { ($0 as NSString).pathExtension.lowercased() } ?? ""
        switch ext {
        case "md", "markdown": return .markdown
        case "html", "htm": return .html
        default: break
        }
        if text.hasPrefix("---\n") || text.range(of: #"(?m)^#{1,6} \S"#, options: .regularExpression) != nil {
            return .markdown
        }
        return .text
    }

    /// `data` without a multi-byte character cut off at its end (a sample of a longer file).
    private static func trimmedUTF8(_ data: Data) -> Data {
        var end = data.count
        var back = 0
        // Step back over continuation bytes to the lead byte of the last character.
        while back < 4, end - back - 1 >= 0, data[data.startIndex + end - back - 1] & 0xC0 == 0x80 { back += 1 }
        guard end - back - 1 >= 0 else { return data }
        let lead = data[data.startIndex + end - back - 1]
        let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        if needed > back + 1 { end -= back + 1 }
        return data.prefix(end)
    }
}
