import Store

/// `GET /documents`: every document with a link to its read page, paged.
enum DocumentsPage {
    static func html(documents: [StoredDocument], total: Int, offset: Int, limit: Int) -> String {
        let rows = documents.map { document in
            """
            <tr><td><a href="/documents/\(WebLayout.segment(document.id))">\(WebLayout.escape(document.title))</a></td>
            <td>\(WebLayout.escape(document.source))</td><td>\(WebLayout.escape(document.type))</td></tr>
            """
        }.joined(separator: "\n")
        var pages: [String] = []
        if offset > 0 { pages.append("<a href=\"/documents?offset=\(max(0, offset - limit))\">Previous</a>") }
        if offset + limit < total { pages.append("<a href=\"/documents?offset=\(offset + limit)\">Next</a>") }
        let main = """
            <h1>Documents</h1>
            <p class="muted">\(total) documents answer questions here. Open one to read it passage by passage.</p>
            <table>
            <caption class="muted">Documents \(total == 0 ? 0 : offset + 1)–\(offset + documents.count) of \(total)</caption>
            <thead><tr><th scope="col">Title</th><th scope="col">Source</th><th scope="col">Type</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            <nav aria-label="Pages">\(pages.joined(separator: " "))</nav>
            """
        return WebLayout.page(title: "Documents — aigov", current: "Documents", main: main)
    }
}
