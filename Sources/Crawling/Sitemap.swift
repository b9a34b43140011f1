import CompressNIO
import Foundation
import NIOCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A sitemap (sitemaps.org protocol): a `urlset` of pages or a `sitemapindex` of further sitemaps, possibly gzipped.
public struct Sitemap: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case pages
        case index
    }

    public var kind: Kind
    /// The `<loc>` values in file order, trimmed (not yet checked or made canonical).
    public var locations: [String]

    /// The protocol's limit on an uncompressed sitemap.
    public static let maxBytes = 50 << 20

    /// Parses `data`, gunzipping it first when it starts with gzip's magic bytes.
    ///
    /// - Throws: `PARSE_ERROR` for corrupt gzip, XML that does not parse, or a root that is neither `urlset` nor
    ///   `sitemapindex`; `TOO_LARGE` past ``maxBytes`` uncompressed.
    public init(data: Data) throws(CrawlError) {
        var xml = data
        if data.starts(with: [0x1F, 0x8B]) {
            var buffer = ByteBuffer(bytes: data)
            do {
                let inflated = try buffer.decompress(with: .gzip(), maxSize: Self.maxBytes)
                xml = Data(inflated.readableBytesView)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                throw CrawlError(.tooLarge, "the sitemap is over \(Self.maxBytes) bytes uncompressed")
            } catch {
                throw CrawlError(.parseError, "the sitemap is not valid gzip")
            }
        }
        guard xml.count <= Self.maxBytes else {
            throw CrawlError(.tooLarge, "the sitemap is over \(Self.maxBytes) bytes")
        }
        let reader = Reader()
        let parser = XMLParser(data: xml)
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        // A document cut short can parse "successfully" up to where it stops: the root must also have closed.
        guard parser.parse(), let root = reader.root, reader.rootClosed else {
            throw CrawlError(.parseError, "the sitemap is not well-formed XML")
        }
        switch root {
        case "urlset": kind = .pages
        case "sitemapindex": kind = .index
        default: throw CrawlError(.parseError, "the sitemap's root is <\(root)>, not <urlset> or <sitemapindex>")
        }
        locations = reader.locations
    }

    /// Collects the root element's name and the text of every `<loc>` (namespace prefixes ignored).
    private final class Reader: NSObject, XMLParserDelegate {
        var root: String?
        var rootClosed = false
        var locations: [String] = []
        private var text: String?
        private var depth = 0

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let name = Self.local(elementName)
            if root == nil { root = name }
            depth += 1
            if name == "loc" { text = "" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            depth -= 1
            if depth == 0 { rootClosed = true }
            guard Self.local(elementName) == "loc", let value = text else { return }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { locations.append(trimmed) }
            text = nil
        }

        static func local(_ name: String) -> String {
            String(name.split(separator: ":").last ?? Substring(name)).lowercased()
        }
    }
}
