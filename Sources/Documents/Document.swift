import Crypto
import Foundation

/// The pages of a stretch of normalised text: `start..<end` in Unicode scalar offsets of `Document.text`.
public struct PageSpan: Sendable, Equatable {
    /// 1-based page number in the source PDF.
    public let page: Int
    /// Offset of the page's first line.
    public let start: Int
    /// Offset just past the page's last line.
    public let end: Int

    /// A span of `page` covering `start..<end`.
    public init(page: Int, start: Int, end: Int) {
        self.page = page
        self.start = start
        self.end = end
    }
}

/// A heading the loader saw in the markup (Markdown `#`, HTML `<h1>`..`<h6>`), so the chunker need not guess
/// headings from plain lines. `offset` is the Unicode scalar offset of the heading's line in `Document.text`.
public struct HeadingHint: Sendable, Equatable {
    public let offset: Int
    /// 1 for a top-level heading.
    public let level: Int
    /// The heading's normalised text, as it appears in the document text.
    public let title: String

    /// A heading of `level` whose line starts at `offset`.
    public init(offset: Int, level: Int, title: String) {
        self.offset = offset
        self.level = level
        self.title = title
    }
}

/// One loaded input: normalised text (lines separated by `\n`, paragraphs by a blank line) plus where its
/// pages and headings are. All offsets count Unicode scalars, as Python's `str` indexing does.
public struct Document: Sendable {
    /// Stable id: chosen by the caller, else the file name.
    public var id: String
    /// From the caller, front matter, the PDF's information, the HTML page, or the file name.
    public var title: String
    /// Where the document comes from (a path, a site, a publisher).
    public var source: String
    public var url: String?
    /// The type the content was sniffed as.
    public var type: DocumentType
    /// Front matter, JSON `metadata`, or PDF information (`title`, `author`, `pages`, ...).
    public var metadata: [String: String]
    /// The normalised text every offset refers to.
    public let text: String
    /// Ascending, non-overlapping; empty for inputs without pages.
    public let pages: [PageSpan]
    public let headings: [HeadingHint]

    /// A document over already normalised `text` (loaders build it; tests and API callers may too).
    public init(
        id: String, title: String, source: String, url: String? = nil, type: DocumentType,
        metadata: [String: String] = [:], text: String, pages: [PageSpan] = [], headings: [HeadingHint] = []
    ) {
        self.id = id
        self.title = title
        self.source = source
        self.url = url
        self.type = type
        self.metadata = metadata
        self.text = text
        self.pages = pages
        self.headings = headings
    }

    /// SHA-256 (lowercase hex) of the normalised text: equal hashes mean re-ingesting would change nothing.
    public var contentHash: String { Hashing.sha256Hex(text) }

    /// The first and last page that the scalar range `start..<end` touches, or nil without a page map.
    public func pageRange(start: Int, end: Int) -> ClosedRange<Int>? {
        guard !pages.isEmpty else { return nil }
        let last = max(start, end - 1)
        guard let first = pages.first(where: { $0.end > start }) ?? pages.last,
            let final = pages.last(where: { $0.start <= last }) ?? pages.first
        else { return nil }
        return min(first.page, final.page)...max(first.page, final.page)
    }
}

package enum Hashing {
    package static func sha256Hex(_ text: String) -> String { sha256Hex(Data(text.utf8)) }

    package static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
