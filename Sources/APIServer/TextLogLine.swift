import Foundation
import Logging

/// Plain-text log lines on standard error (`LOG_FORMAT=text`): `ts level label: message key=value ...`, with
/// metadata sorted by key and Hummingbird's `hb.request.id` named `request_id`.
///
/// Values such as a login's username come from clients. Written raw, a newline in one forges a whole log line
/// and an ANSI escape rewrites the operator's terminal, so control characters (and Unicode line and paragraph
/// separators) are escaped, backslashes doubled, and a value with spaces, quotes or `=` is quoted.
public enum TextLogLine: LogLineFormat {
    /// `event` as one line.
    public static func line(label: String, event: LogEvent, metadata merged: Logger.Metadata) -> String? {
        var line = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
        line += " \(event.level.rawValue) \(Self.escaped(label)): \(Self.escaped("\(event.message)"))"
        let pairs = merged.map { (key: $0.key == "hb.request.id" ? "request_id" : $0.key, value: $0.value) }
        for (key, value) in pairs.sorted(by: { $0.key < $1.key }) {
            line += " \(Self.escaped(key))=\(Self.field(Self.text(value)))"
        }
        if event.level >= .error {
            line += " source=\(Self.field("\(event.file.split(separator: "/").last ?? ""):\(event.line)"))"
        }
        return line
    }

    private static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return "[" + values.map(text).joined(separator: ", ") + "]"
        case .dictionary(let values):
            return "["
                + values.sorted { $0.key < $1.key }.map { "\($0.key): \(text($0.value))" }
                .joined(separator: ", ") + "]"
        }
    }

    /// `text` escaped and, when it holds a space, quote or `=` (or is empty), quoted, so one value can never
    /// pass for several.
    static func field(_ text: String) -> String {
        let escaped = escaped(text)
        guard escaped.isEmpty || escaped.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else {
            return escaped
        }
        return "\"" + escaped.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `text` with no character that ends a line or steers a terminal: `\n`, `\r`, `\t` and `\\` as such,
    /// other C0 and C1 controls, DEL and U+2028/U+2029 as `\u{...}`.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}":
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
