/// Why the live web fallback produced nothing: a stable code and a message that never carries a secret or an
/// upstream body.
public struct LiveWebError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The search provider could not be reached or answered other than 2xx.
        public static let providerUnavailable = Code(rawValue: "PROVIDER_UNAVAILABLE")
        /// The provider answered, but not with a list of URLs.
        public static let providerReply = Code(rawValue: "PROVIDER_REPLY")
        /// The time budget ran out.
        public static let timeout = Code(rawValue: "TIMEOUT")
    }

    public let code: Code
    public let message: String
    public var description: String { "\(code.rawValue): \(message)" }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
