/// An error from the retrieval index, with a stable machine-readable ``code`` and a message for people.
///
/// Callers branch on `code` (for example to tell "rebuild the index" apart from "bad request"); the
/// message may change between versions.
public struct RetrievalError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A stable identifier for a kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code as a stable string, e.g. `checksum_mismatch`.
        public let rawValue: String
        /// A code from its string.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The raw value.
        public var description: String { rawValue }

        /// A vector whose length differs from the index dimension.
        public static let dimensionMismatch = Code(rawValue: "dimension_mismatch")
        /// A vector with NaN or infinite components, or a zero vector under the cosine metric.
        public static let invalidVector = Code(rawValue: "invalid_vector")
        /// An argument outside its allowed range (for example `k <= 0`).
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// A file ends before its declared length.
        public static let truncatedFile = Code(rawValue: "truncated_file")
        /// A file's checksum does not match its contents, or its structure is inconsistent.
        public static let checksumMismatch = Code(rawValue: "checksum_mismatch")
        /// A file does not start with the expected magic bytes.
        public static let notAnIndexFile = Code(rawValue: "not_an_index_file")
        /// A file was written by another, incompatible format version.
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        /// A stored index has another dimension or metric than the one asked for.
        public static let configurationMismatch = Code(rawValue: "configuration_mismatch")
        /// The manifest is missing a file it names, or cannot be parsed.
        public static let corruptManifest = Code(rawValue: "corrupt_manifest")
        /// An operating-system call failed (open, write, fsync, rename, mmap).
        public static let io = Code(rawValue: "io_error")
        /// `verify()` found an inconsistency in the in-memory index.
        public static let verificationFailed = Code(rawValue: "verification_failed")
    }

    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation, naming the file or value at fault where there is one.
    public let message: String

    /// An error of kind `code` explained by `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
