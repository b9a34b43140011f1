import EmbedCache
import Foundation
import Testing

@Suite struct TokenizerTests {
    @Test func goldenCasesGiveReferenceIDs() throws {
        let tokenizer = try WordPieceTokenizer(modelDirectory: Fixtures.modelDirectory())
        let cases = try Fixtures.jsonLines("tokenizer_cases.jsonl")
        #expect(cases.count == 64)
        for item in cases {
            let text = item["text"] as! String
            let expected = (item["ids"] as! [Int]).map(Int32.init)
            #expect(tokenizer.encode(text) == expected, "case \(item["id"]!)")
            #expect(tokenizer.normalize(text) == item["normalized"] as! String, "normalised form of \(item["id"]!)")
        }
    }

    private func tiny() throws -> WordPieceTokenizer {
        try WordPieceTokenizer(
            vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "risk", "##s", "high", "-", "ai", "a", "##a"],
            maxLength: 8)
    }

    @Test func greedyLongestMatchWithContinuations() throws {
        let t = try tiny()
        #expect(t.encode("High-risks AI") == [2, 7, 8, 5, 6, 9, 3])
    }

    @Test func aWordWithAnyUnknownPieceIsOneUnknown() throws {
        let t = try tiny()
        #expect(t.encode("riskx ai") == [2, 1, 9, 3])
    }

    @Test func truncatesToMaxLengthKeepingSpecialTokens() throws {
        let t = try tiny()
        let ids = t.encode("risk risk risk risk risk risk risk risk")
        #expect(ids == [2, 5, 5, 5, 5, 5, 5, 3])
    }

    @Test func overlongWordIsUnknown() throws {
        let t = try tiny()
        #expect(t.encode(String(repeating: "a", count: 100)).count == 8)
        #expect(t.encode(String(repeating: "a", count: 101)) == [2, 1, 3])
    }

    @Test func specialTokensAreMatchedCaseSensitivelyInsideWords() throws {
        let t = try tiny()
        #expect(t.encode("ai[SEP]ai") == [2, 9, 3, 9, 3])
        #expect(t.encode("[sep]") == [2, 1, 1, 1, 3])
    }

    @Test func vocabularyWithoutSpecialTokensIsRefused() {
        #expect(throws: EmbedError.self) { try WordPieceTokenizer(vocabulary: ["a", "b"]) }
    }
}

@Suite struct PieceCountTests {
    @Test func countsEveryPieceWithoutSpecialsOrTruncation() throws {
        let t = try WordPieceTokenizer(
            vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "risk", "##s", "high", "-", "ai"], maxLength: 8)
        #expect(t.pieceCount("High-risks AI") == 5)
        #expect(t.pieceCount(String(repeating: "risk ", count: 40)) == 40)
        #expect(t.pieceCount("") == 0)
    }

    @Test func agreesWithEncodeOnGoldenCases() throws {
        let tokenizer = try WordPieceTokenizer(modelDirectory: Fixtures.modelDirectory())
        for item in try Fixtures.jsonLines("tokenizer_cases.jsonl") {
            let untruncated = item["n_ids_untruncated"] as! Int
            #expect(tokenizer.pieceCount(item["text"] as! String) == untruncated - 2, "\(item["id"]!)")
        }
    }
}
