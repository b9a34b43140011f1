import Documents
import Foundation
import Testing

/// The tolerant HTML reader on small, deliberately messy pages.
@Suite struct HTMLTests {
    private func load(_ html: String) throws -> Document {
        try DocumentLoader().load(data: Data(html.utf8), fileName: "page.html")
    }

    @Test func entitiesAreDecodedAndNonContentDropped() throws {
        let html = """
            <!DOCTYPE html><html><head><title>Saved &amp; page</title>
            <style>p { color: red; }</style><script>var secret = "<p>not text</p>";</script></head>
            <body><nav><a href="/">Home</a> | <a href="/search">Search</a></nav>
            <!-- a comment with <p>markup</p> -->
            <p>Fish &amp; chips &lt;b&gt; &quot;quoted&quot; &#39;single&#39;
            &#8217;curly&#x2019; a&nbsp;b &unknown; AT&T</p>
            <script type="text/javascript">document.write("leak")</script>
            <noscript>Enable JavaScript</noscript>
            </body></html>
            """
        let document = try load(html)
        #expect(document.title == "Saved & page")
        #expect(document.text == #"Fish & chips <b> "quoted" 'single' ’curly’ a b &unknown; AT&T"#)
    }

    @Test func structureIsKeptAsLines() throws {
        let html = """
            <html><body>
            <h1>Guidance</h1><p>Intro<br>second line</p>
            <h2>Scope &amp; use</h2>
            <ul><li>first item</li><li>second <b>bold</b> item</li></ul>
            <table><tr><th>Term</th><th>Meaning</th></tr>
            <tr><td>AI system</td><td><p>a machine-based</p><p>system</p></td></tr></table>
            <table><tr><td><p>(a)</p></td><td><p>point text</p></td></tr></table>
            <div><p>unclosed paragraph<div>inner</div>
            </body></html>
            """
        let document = try load(html)
        let lines = document.text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        #expect(
            lines == [
                "Guidance", "Intro", "second line", "Scope & use", "first item", "second bold item", "Term | Meaning",
                "AI system | a machine-based system", "(a) point text", "unclosed paragraph", "inner",
            ])
        #expect(document.title == "Guidance")
        #expect(document.headings.map(\.title) == ["Guidance", "Scope & use"])
        let chunks = Chunker(counter: WhitespaceTokenCounter()).chunk(document)
        #expect(chunks.map(\.section) == ["Guidance", "Scope & use"])
        #expect(chunks.last?.headingPath == ["Guidance", "Scope & use"])
        expectChunkInvariants(chunks, of: document)
    }

    @Test func brokenMarkupNeverTraps() throws {
        for html in [
            "<html><body><p>a < b and <<<", "<html><body><table><td>x</tr></table><p unterminated=\"",
            "<html><body><tr><td><tr><td>y</td></td></table>z", "<html><body>&#0; &#xFFFFFFFF; &#;",
        ] {
            _ = try? load(html)
        }
        let document = try load("<html><body><p>a < b and <<< c</p>")
        #expect(document.text == "a < b and <<< c")
    }
}
