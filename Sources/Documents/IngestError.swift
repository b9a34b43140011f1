import Foundation

/// Why one input could not be turned into a `Document`. The pipeline reports it per file and goes on with the
/// others, so the message names the file and never carries a tool's raw output.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable reason, safe to show in JSON summaries and to match in tests.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code as it appears in JSON summaries (`too_large`).
        public let rawValue: String
        /// Any code; the static members are the ones the loaders produce.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Not a document type the loaders read (binary, image, archive, ...).
        public static let unsupported = Code(rawValue: "unsupported")
        /// No bytes, or no text left after extraction and normalisation.
        public static let empty = Code(rawValue: "empty")
        /// A password-protected PDF.
        public static let encrypted = Code(rawValue: "encrypted")
        /// Damaged or malformed input (truncated PDF, JSON of the wrong shape, ...).
        public static let corrupt = Code(rawValue: "corrupt")
        /// Larger than the loader's size limit.
        public static let tooLarge = Code(rawValue: "too_large")
        /// The extractor ran past its time limit and was stopped.
        public static let timeout = Code(rawValue: "timeout")
        /// The extractor ran out of its memory allowance or was killed by a signal.
        public static let resourceLimit = Code(rawValue: "resource_limit")
        /// The extractor produced more text than allowed and was stopped.
        public static let outputTooLarge = Code(rawValue: "output_too_large")
        /// A PDF with more pages than allowed.
        public static let tooManyPages = Code(rawValue: "too_many_pages")
        /// The file could not be read.
        public static let unreadable = Code(rawValue: "unreadable")
        /// A required external tool (`pdftotext`) is not installed.
        public static let toolMissing = Code(rawValue: "tool_missing")
        /// Two inputs of one run would get the same document id.
        public static let duplicateID = Code(rawValue: "duplicate_id")
        /// Another process holds the data directory's index.
        public static let locked = Code(rawValue: "locked")
        /// A path names nothing, or nothing ingestible.
        public static let notFound = Code(rawValue: "not_found")
        /// A folder's `manifest.json` is malformed or names files that are not there.
        public static let badManifest = Code(rawValue: "bad_manifest")
        /// The store, the index or the embedder failed while committing an input.
        public static let commitFailed = Code(rawValue: "commit_failed")
    }

    /// Why the input failed.
    public let code: Code
    /// The file (or name) the error is about.
    public let file: String
    /// A human sentence naming the file.
    public let message: String

    /// An error about `file`; the message becomes "<file>: <detail>".
    public init(_ code: Code, file: String, _ detail: String) {
        self.code = code
        self.file = file
        self.message = "\(file): \(detail)"
    }

    public var description: String { message }
}
