import Crawling
import Documents
import Foundation
import Knowledge

/// One web page or PDF fetched through the guard and ingested as a crawl would ingest it (`aigov ingest URL`):
/// the same document id (from the canonical URL), the page's URL in citations, and a page that did not change
/// costs no embedding.
public enum WebPageIngest {
    /// Fetches `url` with `fetcher` and commits it to `base`.
    ///
    /// - Throws: ``CrawlError`` when the page cannot be fetched (`BLOCKED_ADDRESS`, `TIMEOUT`, ...), answers other
    ///   than 2xx (`HTTP_ERROR`) or is neither a page nor a PDF (`UNSUPPORTED_TYPE`); the knowledge base's errors
    ///   when it cannot be parsed or stored.
    public static func ingest(
        _ url: URL, into base: KnowledgeBase, fetcher: GuardedFetcher, source: String? = nil, title: String? = nil
    ) async throws -> DocumentOutcome {
        guard let key = CanonicalURL.canonical(url.absoluteString) else {
            throw CrawlError(.blockedAddress, "only absolute http and https URLs are fetched")
        }
        let answer = try await fetcher.fetch(url)
        guard (200..<300).contains(answer.status) else {
            throw CrawlError(.httpError, "\(url.host ?? "the site") answered HTTP \(answer.status)")
        }
        guard let kind = answer.documentKind else {
            throw CrawlError(.unsupportedType, "\(answer.contentType ?? "no type") is not a page or PDF")
        }
        let id = CrawlRun.documentID(forCanonicalURL: key)
        return try await base.ingest(
            data: answer.body, fileName: "\(id).\(kind)",
            options: DocumentLoader.Options(
                id: id, title: title, source: source ?? answer.url.host ?? "web", url: answer.url.absoluteString))
    }
}
