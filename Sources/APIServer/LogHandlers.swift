import Foundation
import Logging
import Synchronization

/// One JSON object per log line on standard error (`LOG_FORMAT=json`): `ts`, `level`, `logger`, `message`,
/// then the metadata, with Hummingbird's `hb.request.id` named `request_id`.
public struct JSONLogHandler: LogHandler {
    /// Metadata written on every line of this handler.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level written.
    public var logLevel: Logger.Level
    /// Metadata added at log time (task-local context).
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: @Sendable (String) -> Void

    /// A handler for `label` at `level`, writing to `output` (standard error by default).
    public init(
        label: String, level: Logger.Level = .info,
        output: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError
    ) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    /// One metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one JSON line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
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
        else { return }
        output(String(decoding: data, as: UTF8.self))
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

    private static let lock = Mutex(())

    /// Writes `line` and a newline to standard error, whole lines only.
    public static let standardError: @Sendable (String) -> Void = { line in
        lock.withLock { _ in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}

extension ServerConfiguration {
    /// A log handler factory for `LoggingSystem.bootstrap`, honouring `LOG_FORMAT` and `LOG_LEVEL`.
    public func makeLogHandler(label: String) -> any LogHandler {
        switch logFormat {
        case .json:
            return JSONLogHandler(label: label, level: logLevel)
        case .text:
            return TextLogHandler(label: label, level: logLevel)
        }
    }
}
