import Foundation

/// The process environment as settings: every variable of ARCHITECTURE.md section 10 is read through one of
/// these accessors, so a blank value means "unset" and a bad value is reported the same way everywhere.
public struct EnvironmentValues: Sendable, Equatable {
    public let variables: [String: String]

    public init(_ variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.variables = variables
    }

    /// The value with surrounding spaces removed; nil when unset or blank.
    public func text(_ name: String) -> String? {
        guard let value = variables[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// `1/true/yes/on` or `0/false/no/off` (any case); `fallback` when unset.
    public func flag(_ name: String, default fallback: Bool) throws -> Bool {
        guard let value = text(name)?.lowercased() else { return fallback }
        switch value {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, message: "must be true or false, not '\(value)'")
        }
    }

    /// A whole number in `range`; `fallback` when unset.
    public func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = text(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, message: "must be a whole number in \(range)")
        }
        return value
    }

    /// A number in `range`; `fallback` when unset.
    public func number(_ name: String, default fallback: Double, range: ClosedRange<Double>) throws -> Double {
        guard let text = text(name) else { return fallback }
        guard let value = Double(text), range.contains(value) else {
            throw ConfigurationError(
                variable: name, message: "must be a number in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
        }
        return value
    }
}
