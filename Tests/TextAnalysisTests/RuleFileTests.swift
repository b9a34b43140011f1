import Foundation
import Testing
import TextAnalysis

/// The text matching behind the ranking rules (vocabulary, document names, lookups): the byte search agrees
/// with Foundation's, and normalising ASCII on bytes gives what the character path gives.
@Suite struct RuleFileTests {
    @Test func byteSearchFindsWhatFoundationFinds() {
        let texts = ["", "a", "banned uses", "the ban on bans", "données personnelles", "x’s 'quoted' means", "aaab"]
        let needles = ["", "a", "ab", "ban", "bans", "nné", "personnelles", "'quoted' means", "z", "aaab", "aaaab"]
        for text in texts {
            for needle in needles {
                let expected = text.range(of: needle).map { text.distance(from: text.startIndex, to: $0.lowerBound) }
                let found = ByteSearch.range(of: needle, in: text, from: text.startIndex).map {
                    text.distance(from: text.startIndex, to: $0.lowerBound)
                }
                #expect(found == expected, "\(needle) in \(text)")
                #expect(ByteSearch.contains(text, needle) == (expected != nil), "\(needle) in \(text)")
            }
        }
        let text = "ban the bans"
        let second = ByteSearch.range(of: "ban", in: text, from: text.utf8.index(after: text.startIndex))
        #expect(second.map { String(text[$0]) } == "ban")
        #expect(second?.lowerBound == text.utf8.index(text.startIndex, offsetBy: 8))
    }

    @Test func phrasesMatchWholeWordsOrAPrefix() {
        #expect(RuleFile.contains("is this banned in the eu", phrase: "banned"))
        #expect(!RuleFile.contains("is this unbanned", phrase: "banned"))
        #expect(!RuleFile.contains("bannedx here", phrase: "banned"))
        #expect(RuleFile.contains("what bans apply", phrase: "ban*"))
        #expect(!RuleFile.contains("an urban plan", phrase: "ban"), "a match inside a word is no match")
        #expect(RuleFile.contains("an urban ban", phrase: "ban"), "the search goes on past a match inside a word")
        #expect(RuleFile.contains("de données à caractère", phrase: "données"))
        #expect(!RuleFile.contains("anything", phrase: ""))
    }

    @Test func asciiAndUnicodeTextNormaliseAlike() {
        #expect(RuleFile.normalise("  What's a DEEP-fake?! (Art. 3)\r\n") == "what's a deep-fake art 3")
        #expect(RuleFile.normalise("What’s a deepfake?") == "what's a deepfake")
        #expect(RuleFile.normalise("Données À caractère—personnel") == "données à caractère personnel")
        #expect(RuleFile.normalise("?!") == "")
        // The ASCII path must give exactly what the character path gives for the same words.
        #expect(RuleFile.normalise("Is the Café ban, banned?") == "is the café ban banned")
        #expect(RuleFile.normalise("Is the Cafe ban, banned?") == "is the cafe ban banned")
    }
}
