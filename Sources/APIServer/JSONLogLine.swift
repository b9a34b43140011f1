import Foundation
import Logging

/// `LOG_FORMAT=json`: one JSON object per line: `ts`, `level`, `logger`, `message`, then the metadata, with
/// Hummingbird's `hb.request.id` named `request_id`.
public enum JSONLogLine: LogLineFormat {
    /// `event` as one JSON object.
    public static func line(label: String, event: LogEvent, metadata merged: Logger.Metadata) -> String? {
        var object: [String: Any] = [
            "ts": Self.timestamp(), "level": event.level.rawValue, "logger": label, "message": "\(event.message)",
        ]
        for (key, value) in merged {
            object[key == "hb.request.id" ? "request_id" : key] = Self.json(value)
        }
        if event.level >= .error {
            object["source"] = "\(event.file.split(separator: "/").last ?? ""):\(event.line)"
        }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(json)
        case .dictionary(let values): return values.mapValues(json)
        }
    }

    private static func timestamp() -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
    }
}
