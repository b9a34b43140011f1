/// A setting that cannot be used: the variable it came from and why (never its value when the value is a
/// secret). Stops `aigov serve` from starting and any command from running; printed as `VARIABLE: message`.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let variable: String
    public let message: String
    public var description: String { "\(variable): \(message)" }

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }
}
