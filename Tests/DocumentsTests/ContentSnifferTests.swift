import Documents
import Foundation
import Testing

@Suite struct ContentSnifferTests {
    private func sniff(_ text: String, _ name: String? = nil) -> DocumentType? {
        ContentSniffer.sniff(Data(text.utf8), fileName: name)
    }

    @Test func contentBeatsTheExtension() {
        #expect(ContentSniffer.sniff(Data("%PDF-1.7\n%âãÏÓ\n".utf8), fileName: "notes.txt") == .pdf)
        #expect(sniff("<!DOCTYPE html><html><body>Article 6</body></html>", "page.txt") == .html)
        #expect(sniff(#"{"title": "EO 14179", "source": "whitehouse", "content": "..."}"#, "x.md") == .json)
    }

    @Test func markdownByExtensionFrontMatterOrHeadings() {
        #expect(sniff("Plain words.", "order.md") == .markdown)
        #expect(sniff("---\ntitle: EO\n---\nText") == .markdown)
        #expect(sniff("Intro\n\n## Section 2. Policy\nText") == .markdown)
    }

    @Test func plainTextAndHTMLExtension() {
        #expect(sniff("Article 6 Classification rules for high-risk AI systems") == .text)
        #expect(sniff("just text", "saved.html") == .html)
        #expect(sniff("{not json", "a.txt") == .text)
    }

    @Test func binaryAndInvalidUTF8AreRefused() {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0])
        #expect(ContentSniffer.sniff(png, fileName: "a.txt") == nil)
        #expect(ContentSniffer.sniff(Data([0x41, 0xFF, 0xFE, 0x41]), fileName: "a.txt") == nil)
    }

    @Test func aSampleCutInsideACharacterIsStillText() {
        // 65,535 ASCII bytes then "é": the 64 KiB sample ends inside the two-byte character.
        let bytes = Data(repeating: 0x61, count: 65535) + Data("é tail".utf8)
        #expect(ContentSniffer.sniff(bytes, fileName: "long.txt") == .text)
    }
}
