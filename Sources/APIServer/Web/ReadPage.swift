import Foundation
import Store

/// `GET /documents/{id}`: a document's passages in order, each with its section and pages, so a learner can read a
/// cited passage in context. Each passage is an `article` whose id is ``WebLayout/chunkAnchor(_:)`` (the ask
/// page links there) with links to its neighbours; all text is escaped.
enum ReadPage {
    static func html(document: StoredDocument, chunks: [StoredChunk], hasOriginal: Bool) -> String {
        let ordered = chunks.sorted { $0.ordinal < $1.ordinal }
        var articles: [String] = []
        articles.reserveCapacity(ordered.count)
        for (position, chunk) in ordered.enumerated() {
            let anchor = WebLayout.chunkAnchor(chunk.chunkID)
            let label = chunk.section ?? chunk.headingPath.last ?? "Passage \(chunk.ordinal + 1)"
            var place: [String] = []
            if let start = chunk.pageStart {
                let end = chunk.pageEnd ?? start
                place.append(end != start ? "pages \(start)–\(end)" : "page \(start)")
            }
            var navigation: [String] = []
            if position > 0 {
                navigation.append(
                    "<a href=\"#\(WebLayout.chunkAnchor(ordered[position - 1].chunkID))\">Previous passage</a>")
            }
            if position + 1 < ordered.count {
                navigation.append(
                    "<a href=\"#\(WebLayout.chunkAnchor(ordered[position + 1].chunkID))\">Next passage</a>")
            }
            if hasOriginal, let start = chunk.pageStart {
                navigation.append(
                    "<a href=\"/documents/\(WebLayout.segment(document.id))/original#page=\(start)\">"
                        + "Original, page \(start)</a>")
            }
            let paragraphs = chunk.text.components(separatedBy: "\n\n")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                .map { "<p class=\"passage\">\(WebLayout.escape($0))</p>" }.joined(separator: "\n")
            articles.append(
                """
                <article class="chunk" id="\(anchor)" tabindex="-1" aria-labelledby="\(anchor)-title">
                <h2 id="\(anchor)-title">\(WebLayout.escape(label))\(place.isEmpty ? "" : " <span class=\"muted\">(\(place.joined()))</span>")</h2>
                \(paragraphs)
                <nav class="chunk-nav" aria-label="Passage \(position + 1) of \(ordered.count)">\(navigation.joined(separator: " "))</nav>
                </article>
                """)
        }
        var about = ["\(ordered.count) passages", WebLayout.escape(document.source)]
        if hasOriginal {
            about.append("<a href=\"/documents/\(WebLayout.segment(document.id))/original\">original file</a>")
        }
        if let url = document.url, url.lowercased().hasPrefix("https://") || url.lowercased().hasPrefix("http://") {
            about.append("<a href=\"\(WebLayout.escape(url))\" rel=\"noopener noreferrer\">official source</a>")
        }
        let main = """
            <p><a href="/documents">All documents</a></p>
            <h1>\(WebLayout.escape(document.title))</h1>
            <p class="muted">\(about.joined(separator: " · "))</p>
            \(articles.joined(separator: "\n"))
            """
        return WebLayout.page(title: document.title + " — aigov", current: nil, main: main, script: "read.js")
    }

    /// The page for a document id that names nothing.
    static func notFound() -> String {
        WebLayout.page(
            title: "Document not found — aigov", current: nil,
            main:
                "<h1>Document not found</h1>\n<p>No document has this id. <a href=\"/documents\">All documents</a></p>")
    }
}
