import Foundation
import Knowledge
import Testing

@testable import APIServer

/// The hand-written retrieve reply is byte for byte what the JSON encoder writes.
@Suite struct JSONTextTests {
    static func citation(_ content: String, score: Double, optionals: Bool = true) -> Citation {
        Citation(
            content: content, documentTitle: "Regulation (EU) 2024/1689 — \"AI Act\"", documentSource: "eur-lex/oj",
            documentURL: optionals ? "https://eur-lex.europa.eu/eli/reg/2024/1689/oj" : nil, chunkIndex: 42,
            chunkID: "eu-ai-act#42", documentID: "eu-ai-act", section: optionals ? "Article 6(1)(a)" : nil,
            pageStart: optionals ? 53 : nil, pageEnd: optionals ? 54 : nil, score: score)
    }

    @Test func retrieveReplyMatchesTheEncoderByteForByte() throws {
        let controls = String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) })
        let texts = [
            "Plain text.", "", "Quotes \" and back\\slashes \\\" and /slashes/ </script>", controls + "\u{7F}",
            "Données — “quoted” 🤖 naïve \u{2028}\u{2029} \u{FEFF} 日本語", "tab\there\r\nnewline",
        ]
        let scores = [
            0.0, 1.0, -1.0, 0.016393442622950821, 1e-05, .leastNonzeroMagnitude, 123456789.0, 1.5e300, -0.0, 0.1 + 0.2,
            12.5,
        ]
        var reply = RetrieveResponse(results: [])
        #expect(reply.json == Array(try JSONResponse.encoder.encode(reply)))
        for (index, text) in texts.enumerated() {
            reply.results.append(Self.citation(text, score: scores[index % scores.count], optionals: index % 2 == 0))
        }
        for score in scores { reply.results.append(Self.citation("s", score: score)) }
        let expected = try JSONResponse.encoder.encode(reply)
        let written = try #require(reply.json)
        #expect(
            written == Array(expected),
            "\(String(decoding: written, as: UTF8.self))\n\(String(decoding: expected, as: UTF8.self))")
    }

    @Test func aScoreJSONCannotHoldFallsBackToTheEncoder() {
        for score in [Double.nan, .infinity, -.infinity] {
            #expect(RetrieveResponse(results: [Self.citation("x", score: score)]).json == nil)
        }
    }
}
