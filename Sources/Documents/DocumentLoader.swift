import Foundation

/// Reads one input (file or bytes) into a `Document`: sniffs the type from the content, runs the matching
/// loader and normalises the text. Every failure is an `IngestError` naming the input; nothing traps.
public struct DocumentLoader: Sendable {
    /// Inputs above this size are refused before parsing.
    public var maxBytes: Int
    /// Runs `pdftotext`/`pdfinfo` with their limits.
    public var pdf: PDFTextExtractor

    /// A loader refusing inputs over `maxBytes` (64 MiB by default).
    public init(maxBytes: Int = 64 << 20, pdf: PDFTextExtractor = PDFTextExtractor()) {
        self.maxBytes = maxBytes
        self.pdf = pdf
    }

    /// Caller-chosen fields; anything nil is derived from the input (front matter, HTML title, file name).
    public struct Options: Sendable {
        public var id: String?
        public var title: String?
        public var source: String?
        public var url: String?
        /// The kind of document (regulation, framework, guidance ...), kept in its metadata as
        /// ``DocumentLoader/documentTypeKey``; nil keeps what front matter says, if anything.
        public var documentType: String?
        /// Metadata set on top of what the input carries (a crawled page's `origin_id`).
        public var metadata: [String: String]
        /// Overrides for the derived fields; nil keeps what the loader finds.
        public init(
            id: String? = nil, title: String? = nil, source: String? = nil, url: String? = nil,
            documentType: String? = nil, metadata: [String: String] = [:]
        ) {
            self.id = id
            self.title = title
            self.source = source
            self.url = url
            self.documentType = documentType
            self.metadata = metadata
        }
    }

    /// The metadata key of ``Options/documentType``.
    public static let documentTypeKey = "document_type"

    /// Loads the file at `url`. The document id defaults to the file name, the source to the file's path.
    public func load(fileAt url: URL, options: Options = Options()) throws -> Document {
        let name = url.lastPathComponent
        let data = try read(fileAt: url)
        var options = options
        if options.source == nil { options.source = url.path }
        return try load(data: data, fileName: name, options: options, fileURL: url)
    }

    /// The bytes of the file at `url`, refused before reading when over `maxBytes`.
    public func read(fileAt url: URL) throws -> Data {
        let name = url.lastPathComponent
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes?[.size] as? Int, size > maxBytes {
            throw IngestError(.tooLarge, file: name, "\(size) bytes is over the \(maxBytes)-byte limit")
        }
        guard let data = try? Data(contentsOf: url) else {
            throw IngestError(.unreadable, file: name, "cannot read the file")
        }
        return data
    }

    /// Loads in-memory bytes (an upload); `fileName` names the input in errors and helps sniffing.
    public func load(data: Data, fileName: String, options: Options = Options()) throws -> Document {
        try load(data: data, fileName: fileName, options: options, fileURL: nil)
    }

    private func load(data: Data, fileName: String, options: Options, fileURL: URL?) throws -> Document {
        guard data.count <= maxBytes else {
            throw IngestError(.tooLarge, file: fileName, "\(data.count) bytes is over the \(maxBytes)-byte limit")
        }
        guard !data.isEmpty else { throw IngestError(.empty, file: fileName, "the file is empty") }
        guard let type = ContentSniffer.sniff(data, fileName: fileName) else {
            throw IngestError(.unsupported, file: fileName, "not a PDF, HTML, Markdown, JSON or UTF-8 text file")
        }
        var builder: TextBuilder
        var title: String?
        var metadata: [String: String] = [:]
        var source = options.source
        var url = options.url
        switch type {
        case .pdf:
            (builder, metadata) = try pdfText(data: data, fileName: fileName, fileURL: fileURL)
            title = metadata["title"]
        case .html:
            let result = HTMLLoader.parse(String(decoding: data, as: UTF8.self))
            builder = result.builder
            title = result.title
        case .markdown:
            let result = MarkdownLoader.parse(String(decoding: data, as: UTF8.self))
            builder = result.builder
            metadata = result.metadata
            title = result.title
            url = url ?? metadata["source_url"] ?? metadata["url"]
        case .text:
            builder = TextBuilder()
            // Splitting on Character newlines also splits "\r\n", which is one Character in Swift.
            for line in String(decoding: data, as: UTF8.self).split(
                omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            {
                builder.appendLine(line)
            }
        case .json:
            let record = try JSONDocument.decode(data, fileName: fileName)
            builder = record.builder
            title = record.title
            metadata = record.metadata
            source = options.source == nil || options.source == fileURL?.path ? record.source : options.source
            url = url ?? record.url
        }
        guard builder.length > 0 else {
            throw IngestError(.empty, file: fileName, "no text found after extraction")
        }
        let stem = (fileName as NSString).deletingPathExtension
        // A derived title is shortened for citations; a title the caller gives is theirs to choose.
        let found = title.map(TextNormalizer.normalizeLine).flatMap { $0.isEmpty ? nil : ShortTitle.derive($0) }
        if let kind = options.documentType { metadata[Self.documentTypeKey] = kind }
        metadata.merge(options.metadata) { _, given in given }
        return Document(
            id: options.id ?? fileName, title: options.title ?? found ?? stem, source: source ?? fileName,
            url: url, type: type, metadata: metadata, text: builder.text, pages: builder.pages,
            headings: builder.headings)
    }

    /// The document information first: a PDF that declares more pages than allowed is refused before the
    /// costly extraction (which is capped at that many pages anyway, should pdfinfo fail or lie).
    private func pdfPages(of url: URL, fileName: String) throws -> ([String], [String: String]) {
        let information = pdf.information(of: url, name: fileName)
        if let declared = information["pages"].flatMap(Int.init), declared > pdf.maxPages {
            throw IngestError(
                .tooManyPages, file: fileName, "the PDF has \(declared) pages, more than the \(pdf.maxPages) allowed")
        }
        return (try pdf.pages(of: url, name: fileName), information)
    }

    private func pdfText(data: Data, fileName: String, fileURL: URL?) throws -> (TextBuilder, [String: String]) {
        let (pages, information): ([String], [String: String])
        if let fileURL {
            (pages, information) = try pdfPages(of: fileURL, fileName: fileName)
        } else {
            // Uploads go through a file, since pdftotext reads paths, not pipes, reliably: a 0600 file in a
            // 0700 folder of our own, never the shared temporary folder with default permissions.
            let staging = try PrivateTemporaryDirectory(prefix: "aigov-upload", for: fileName)
            defer { staging.remove() }
            let staged = try staging.write(data, name: "upload.pdf", for: fileName)
            (pages, information) = try pdfPages(of: staged, fileName: fileName)
        }
        var builder = TextBuilder()
        var page = 0
        for line in PDFPageCleaner.clean(pages: pages) {
            if line.page != page {
                page = line.page
                builder.beginPage(page)
            }
            if line.text.isEmpty { builder.paragraphBreak() } else { builder.appendLine(line.text) }
        }
        builder.endPage()
        return (builder, information)
    }
}
