import Testing

@testable import APIServer

@Suite struct TextRulesTests {
    @Test func lengthsCountScalarsNotGraphemes() throws {
        let grapheme = "a" + String(repeating: "\u{301}", count: 10)
        #expect(grapheme.count == 1)
        #expect(throws: APIError.self) { try TextRules.check(grapheme, field: "f", maxScalars: 10) }
        try TextRules.check(grapheme, field: "f", maxScalars: 11)
        try TextRules.check("Künstliche Intelligenz 人工知能", field: "f", maxScalars: 100)
    }

    @Test func controlCharactersAreRefused() throws {
        for bad in ["a\u{0}b", "a\u{1B}[2J", "a\u{7F}", "a\u{85}b", "line\nbreak"] {
            #expect(throws: APIError.self, "\(bad.debugDescription)") {
                try TextRules.check(bad, field: "f", maxScalars: 100)
            }
        }
        try TextRules.check("line\nbreak\tand\r\nmore", field: "f", maxScalars: 100, multiline: true)
        #expect(throws: APIError.self) { try TextRules.checkControls("nul \u{0} in text", field: "content") }
    }
}
