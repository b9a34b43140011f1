import Foundation

/// The frame every page shares: language, viewport, the one stylesheet, a skip link, the site navigation and
/// a `main` landmark. Pages are put together from escaped text only (``escape(_:)``), and load their behaviour
/// from same-origin scripts, because the Content-Security-Policy allows no inline script or style.
enum WebLayout {
    /// A whole page; `current` marks the navigation entry of this page for assistive technology.
    static func page(title: String, current: String?, main: String, script: String? = nil) -> String {
        let navigation = [("/", "Ask"), ("/documents", "Documents"), ("/admin", "Admin"), ("/docs", "API")]
            .map { href, label in
                "<a href=\"\(href)\"\(label == current ? " aria-current=\"page\"" : "")>\(label)</a>"
            }.joined(separator: "\n")
        let scriptTag = script.map { "<script src=\"\(WebAssets.path($0))\" defer></script>\n" } ?? ""
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="\(WebAssets.path("site.css"))">
            \(scriptTag)</head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="site">
            <a class="brand" href="/">aigov</a>
            <nav aria-label="Site">
            \(navigation)
            </nav>
            </header>
            <main id="main" tabindex="-1">
            \(main)
            </main>
            </body>
            </html>

            """
    }

    /// `text` safe inside HTML text and double-quoted attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// A path segment for a link (`/documents/<segment>`), encoded as JavaScript's `encodeURIComponent` encodes
    /// it, so the ask page's links and this page's anchors spell a chunk id the same way.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: uriComponent) ?? ""
    }

    private static let uriComponent: CharacterSet = {
        var set = CharacterSet()
        set.insert(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()")
        return set
    }()

    /// The `id` of a chunk's element on the read page (and the fragment the ask page links to).
    static func chunkAnchor(_ chunkID: String) -> String { "chunk-" + segment(chunkID) }
}
