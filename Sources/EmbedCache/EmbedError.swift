/// An error from the tokenizer, the encoder, the model loader or the embedding cache.
///
/// `code` is stable and meant for programs; `message` is for people and names the file and what was
/// expected where that applies.
public struct EmbedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A model file is absent.
        public static let modelFileMissing = Code(rawValue: "model_file_missing")
        /// A model file exists but cannot be parsed or is cut short.
        public static let modelFileCorrupt = Code(rawValue: "model_file_corrupt")
        /// The model is not of an architecture this encoder runs.
        public static let unsupportedModel = Code(rawValue: "unsupported_model")
        /// A tensor is absent or of the wrong shape or type.
        public static let tensorMismatch = Code(rawValue: "tensor_mismatch")
        /// The embedding cache could not be opened, read or written.
        public static let cacheIO = Code(rawValue: "cache_io")
        /// The embedding cache on disk belongs to another model or dimension.
        public static let cacheMismatch = Code(rawValue: "cache_mismatch")
        /// An embedding provider returned vectors of an unexpected count or dimension.
        public static let providerMismatch = Code(rawValue: "provider_mismatch")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
