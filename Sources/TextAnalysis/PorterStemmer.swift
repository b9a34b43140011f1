/// Martin Porter's 1980 suffix-stripping algorithm, as his reference C implementation has it (the version
/// Lucene's `PorterStemFilter`, and so Anserini's BM25 baselines, use): "governing", "governs" and "governed"
/// all become "govern", so a question's word form need not match the text's.
///
/// Only words of ASCII lowercase letters longer than two are stemmed; anything else is returned unchanged.
public enum PorterStemmer {
    /// The stem of `word`.
    public static func stem(_ word: String) -> String {
        let utf8 = Array(word.utf8)
        guard utf8.count > 2, utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        var stemmer = State(b: utf8)
        stemmer.run()
        return String(decoding: stemmer.b, as: UTF8.self)
    }

    private struct State {
        var b: [UInt8]
        /// End of the stem that the current suffix test left (exclusive of the suffix), as `j` in the C code.
        var j = 0

        var k: Int { b.count - 1 }

        func consonant(_ i: Int) -> Bool {
            switch b[i] {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"):
                return false
            case UInt8(ascii: "y"):
                return i == 0 ? true : !consonant(i - 1)
            default:
                return true
            }
        }

        /// The number of vowel-consonant sequences in `b[0...j]`.
        func measure() -> Int {
            var n = 0
            var i = 0
            while true {
                if i > j { return n }
                if !consonant(i) { break }
                i += 1
            }
            i += 1
            while true {
                while true {
                    if i > j { return n }
                    if consonant(i) { break }
                    i += 1
                }
                i += 1
                n += 1
                while true {
                    if i > j { return n }
                    if !consonant(i) { break }
                    i += 1
                }
                i += 1
            }
        }

        func vowelInStem() -> Bool { (0...max(j, 0)).contains { $0 <= j && !consonant($0) } }

        func doubleConsonant(_ i: Int) -> Bool { i >= 1 && b[i] == b[i - 1] && consonant(i) }

        /// Consonant-vowel-consonant ending at `i`, the last not w, x or y ("hop", not "snow").
        func cvc(_ i: Int) -> Bool {
            guard i >= 2, consonant(i), !consonant(i - 1), consonant(i - 2) else { return false }
            let c = b[i]
            return c != UInt8(ascii: "w") && c != UInt8(ascii: "x") && c != UInt8(ascii: "y")
        }

        /// Whether `b` ends with `suffix`; sets `j` to the index before it.
        mutating func ends(_ suffix: String) -> Bool {
            // Compared in place: copying the suffix and the word's tail into arrays, for each of the fifty
            // suffixes tried on every word, made stemming most of a short question's tokenizing.
            let count = suffix.utf8.count
            guard count <= b.count else { return false }
            var i = b.count - count
            for byte in suffix.utf8 {
                guard b[i] == byte else { return false }
                i += 1
            }
            j = b.count - count - 1
            return true
        }

        /// Replaces everything after `j` with `replacement`.
        mutating func setTo(_ replacement: String) {
            b.removeSubrange((j + 1)...)
            b.append(contentsOf: replacement.utf8)
        }

        mutating func replaceIfMeasured(_ replacement: String) { if measure() > 0 { setTo(replacement) } }

        mutating func run() {
            step1ab()
            if b.count > 1 {
                step1c()
                step2()
                step3()
                step4()
                step5()
            }
        }

        mutating func step1ab() {
            if b[k] == UInt8(ascii: "s") {
                if ends("sses") {
                    b.removeLast(2)
                } else if ends("ies") {
                    setTo("i")
                } else if b.count >= 2 && b[k - 1] != UInt8(ascii: "s") {
                    b.removeLast()
                }
            }
            if ends("eed") {
                if measure() > 0 { b.removeLast() }
            } else if (ends("ed") || ends("ing")) && vowelInStem() {
                b.removeSubrange((j + 1)...)
                if ends("at") {
                    setTo("ate")
                } else if ends("bl") {
                    setTo("ble")
                } else if ends("iz") {
                    setTo("ize")
                } else if doubleConsonant(k) {
                    let last = b[k]
                    if last != UInt8(ascii: "l") && last != UInt8(ascii: "s") && last != UInt8(ascii: "z") {
                        b.removeLast()
                    }
                } else {
                    j = k
                    if measure() == 1 && cvc(k) { b.append(UInt8(ascii: "e")) }
                }
            }
        }

        mutating func step1c() {
            if ends("y") && vowelInStem() { b[k] = UInt8(ascii: "i") }
        }

        /// Tries the rules in order; the first suffix that matches decides, whether or not its condition holds.
        mutating func firstRule(_ rules: [(String, String)], condition: (State) -> Bool) {
            for (suffix, replacement) in rules where ends(suffix) {
                if condition(self) { setTo(replacement) }
                return
            }
        }

        static let step2Rules: [(String, String)] = [
            ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
            ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
            ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"),
            ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
            ("logi", "log"),
        ]

        static let step3Rules: [(String, String)] = [
            ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""),
            ("ness", ""),
        ]

        static let step4Suffixes = [
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
            "ate", "iti", "ous", "ive", "ize",
        ]

        mutating func step2() { firstRule(Self.step2Rules) { $0.measure() > 0 } }

        mutating func step3() { firstRule(Self.step3Rules) { $0.measure() > 0 } }

        mutating func step4() {
            // The C code switches on the penultimate letter, so of suffixes sharing it only the first listed
            // that matches is tried: "ement" before "ment" before "ent".
            for suffix in Self.step4Suffixes where ends(suffix) {
                if suffix == "ion" {
                    guard j >= 0, b[j] == UInt8(ascii: "s") || b[j] == UInt8(ascii: "t") else { return }
                }
                if measure() > 1 { b.removeSubrange((j + 1)...) }
                return
            }
        }

        mutating func step5() {
            j = k
            if b[k] == UInt8(ascii: "e") {
                j = k - 1
                let m = measure()
                if m > 1 || (m == 1 && !cvc(k - 1)) { b.removeLast() }
            }
            j = k
            if b[k] == UInt8(ascii: "l") && doubleConsonant(k) && measure() > 1 { b.removeLast() }
        }
    }
}
