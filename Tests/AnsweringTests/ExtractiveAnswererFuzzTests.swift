import Foundation
import Testing

@testable import Answering

/// The offline answer never fails on what a knowledge base can hold: texts assembled at random from the pieces its
/// rules read (enumerators, quotes, colons, labels, bullets, numbers, blank lines), against questions that use the
/// same pieces. Whatever it says, it cites only passages it was given, and every marker in it names one of them.
@Suite struct ExtractiveAnswererFuzzTests {
    static let pieces = [
        "(k) ", "(49) ", "(i) ", "(a) ", "4. ", "1.", "‘deep fake’ means ", "“term” means ", "'x' means ", " means: ",
        "any of the following:", "such as by:", ";", "; or", ",", ".", "?", ":", "\n", "\n\n", "• ", "GOVERN 1.1: ",
        "MAP 2.3", "Article 3", "Sec. 3", "2.5 Environmental Impacts ", "Environmental Impacts ", "Fig. 4 ",
        "Table 2: ",
        "References", "AI Transparency Resources", "[12] ", "et al.", "https://example.org/x", "arXiv:2111.15366",
        "The provider shall keep the logs ", "personal data ", "AI system ", "high-risk ", "Model Theft ",
        "Jailbreaking Methods that cause ", "(", ")", "‘", "’", "“", "”", "'", "\"", "é", "ﬁ", "—", "…", "",
        String(repeating: "word ", count: 40), "9,10 ", "27 Overview of Meta AI safety policies.",
    ]
    static let questions = [
        "What is a 'deep fake'?", "Who is the 'provider' of an AI system?", "What does the law mean by 'x'?",
        "What counts as personal data?", "What exactly is jailbreaking an AI model?", "Must the provider keep logs?",
        "'", "who is '", "What is ‘", "?", "", "What does MAP 2.3 say?", "How long does a company have to reply?",
    ]

    /// A deterministic generator (Knuth's MMIX linear congruence), so a failure reproduces.
    struct Generator {
        var state: UInt64
        mutating func below(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func randomTextsNeverBreakTheAnswer() {
        var random = Generator(state: 14)
        let sections = [nil, "Article 3", "Article 5(1)", "Sec. 3", "GOVERN 1.1", "Appendix A. Glossary", "2.2 Title"]
        for round in 0..<400 {
            let count = 1 + random.below(4)
            let passages = (1...count).map { number in
                let text = (0..<random.below(40)).map { _ in Self.pieces[random.below(Self.pieces.count)] }.joined()
                return Passage(
                    number: number, chunkID: "c\(number)", documentID: "d", documentTitle: "D", documentSource: "S",
                    section: sections[random.below(sections.count)], chunkIndex: number, text: text, score: 1)
            }
            let question = Self.questions[random.below(Self.questions.count)]
            let answer = ExtractiveAnswerer().answer(question: question, passages: passages)
            #expect(!answer.text.isEmpty, "round \(round)")
            #expect(answer.citedSources.allSatisfy { (1...count).contains($0) }, "round \(round)")
            let markers = answer.text.matches(of: /\[(\d+)\]/).compactMap { Int($0.1) }
            #expect(markers.allSatisfy { (1...count).contains($0) }, "round \(round): \(answer.text)")
        }
    }
}
