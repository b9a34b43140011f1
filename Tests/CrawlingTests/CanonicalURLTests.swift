import Crawling
import Foundation
import Testing

/// Canonical URLs: two spellings of one page are one key.
@Suite struct CanonicalURLTests {
    @Test func spellingsOfOnePageAreOneKey() {
        let spellings = [
            "HTTPS://EUR-Lex.Europa.EU:443/eli/reg/2024/1689/oj/#art_5",
            "https://eur-lex.europa.eu/eli/reg/2024/1689/oj?utm_source=x&utm_medium=y",
            "https://eur-lex.europa.eu/eli/reg/2024/1689/oj/?fbclid=abc&gclid=def",
            "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
        ]
        let keys = Set(spellings.compactMap(CanonicalURL.canonical))
        #expect(keys == ["https://eur-lex.europa.eu/eli/reg/2024/1689/oj"])
    }

    @Test func meaningfulPartsStay() {
        #expect(CanonicalURL.canonical("http://Example.org") == "http://example.org/")
        #expect(
            CanonicalURL.canonical("http://example.org:8080/a/?b=2&utm_x=1&a=1") == "http://example.org:8080/a?b=2&a=1")
        #expect(CanonicalURL.canonical("https://example.org/A%20B/") == "https://example.org/A%20B")
        #expect(CanonicalURL.canonical("ftp://example.org/") == nil && CanonicalURL.canonical("/relative") == nil)
        #expect(CanonicalURL.canonical("mailto:someone@example.org") == nil)
    }

    @Test func linksResolveAgainstTheirBase() {
        let base = URL(string: "https://regulator.example/guidance/index.html")!
        #expect(CanonicalURL.resolve("act.pdf", against: base) == "https://regulator.example/guidance/act.pdf")
        #expect(CanonicalURL.resolve("../about/", against: base) == "https://regulator.example/about")
        #expect(CanonicalURL.resolve("//other.example/x#y", against: base) == "https://other.example/x")
        #expect(CanonicalURL.resolve("#top", against: base) == nil)
        #expect(CanonicalURL.resolve("javascript:alert(1)", against: base) == nil)
    }
}
