import Foundation
import Logging
import Synchronization

/// How one log event becomes one line: ``JSONLogLine`` (`LOG_FORMAT=json`) or ``TextLogLine`` (`text`).
public protocol LogLineFormat: Sendable {
    /// The line for `event` of the logger `label`, with `metadata` already merged (handler, provider, event).
    static func line(label: String, event: LogEvent, metadata: Logger.Metadata) -> String?
}

/// One line per log event on standard error, in the format `Format`, whole lines only.
public struct LineLogHandler<Format: LogLineFormat>: LogHandler {
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
        output: @escaping @Sendable (String) -> Void = LogOutput.standardError
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

    /// Writes `event` as one line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let line = Format.line(label: label, event: event, metadata: merged) { output(line) }
    }
}

/// One JSON object per line (`LOG_FORMAT=json`).
public typealias JSONLogHandler = LineLogHandler<JSONLogLine>
/// Plain text with escaped values (`LOG_FORMAT=text`).
public typealias TextLogHandler = LineLogHandler<TextLogLine>

/// Where log lines go.
public enum LogOutput {
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
