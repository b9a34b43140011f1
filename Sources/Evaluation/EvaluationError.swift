/// A benchmark or question file that cannot be read. `code` is stable; `message` names the file and line
/// but never repeats their content beyond a field name.
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A file the layout requires is absent or unreadable.
        case missingFile = "missing_file"
        /// A line that is not what the format says.
        case badLine = "bad_line"
        /// The files disagree (a judged query with no text, an empty corpus).
        case inconsistent
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
