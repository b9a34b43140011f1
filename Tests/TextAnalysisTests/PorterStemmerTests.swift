import Foundation
import Testing
import TextAnalysis

/// The stemmer against NLTK's `PorterStemmer(mode=MARTIN_EXTENSIONS)` (Porter's reference C version) on
/// Porter's own examples and the 1,500 commonest words of three corpus documents (`fixtures/porter/stems.tsv`,
/// written with nltk 3.10.4).
@Suite struct PorterStemmerTests {
    @Test func matchesTheReferenceImplementation() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/porter/stems.tsv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 1500)
        var wrong: [String] = []
        for line in lines {
            let fields = line.split(separator: "\t").map(String.init)
            let stem = PorterStemmer.stem(fields[0])
            if stem != fields[1] { wrong.append("\(fields[0]): \(stem), expected \(fields[1])") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20))")
    }

    @Test func leavesShortAndNonASCIIWordsAlone() {
        #expect(PorterStemmer.stem("as") == "as")
        #expect(PorterStemmer.stem("données") == "données")
        #expect(PorterStemmer.stem("gpt4") == "gpt4")
        #expect(PorterStemmer.stem("governing") == "govern")
    }
}
