/// The passage side of ``AnswerType``: which of an amount of money, a period and a date a text states, read in
/// one pass over its UTF-8 bytes.
///
/// The local index reads each passage once, when it registers it (``IndexState``), and keeps the answer; the
/// Qdrant backend reads the candidates of a question asking for a quantity (up to a hundred passages of about
/// 1,500 characters) inside the search. A first version split the text into lowercased `Substring` words and
/// looked them up in sets, in the search: 11.7 ms per search against 0.49 ms without the prior (`aigov bench
/// rerank --questions` of eight such questions, one core). Here each run of letters is packed into an integer
/// (five bits a letter, up to twelve letters) and looked up in one table only when its first letter and length
/// can be a word the rules read, and the rules below need only the positions of the last number, currency, day
/// and month seen, so nothing is allocated.
///
/// Tokens: runs of ASCII digits (digit groups split by spaces, commas or points stay separate tokens, as in
/// "EUR 35 000 000"), runs of letters (any non-ASCII byte makes the run an unknown word), "$" and "€".
/// The rules, by token position:
/// - money: a currency ("EUR", "euros", "USD", "dollars", "$", "€") with a number at most two tokens before it
///   or right after it;
/// - period: "hour(s)", "day(s)", "week(s)", "month(s)" or "year(s)" with a number or number word ("one" ...
///   "ninety") at most two tokens before it;
/// - date: a month name with a day (1-31) right before or after it and a year (1900-2199) one or two tokens
///   after it.
struct QuantityScanner {
    enum Token {
        case number(value: Int, digits: Int)
        case currency, timeUnit, numberWord, month, other
    }

    /// The kinds found so far.
    private var found: AnswerTypes = []
    /// The position (token count) of the token being read.
    private var index = 0
    private var lastNumber = Int.min / 2
    private var lastCount = Int.min / 2
    private var lastCurrency = Int.min / 2
    private var lastDay = Int.min / 2
    private var month = Int.min / 2
    private var dayBeforeMonth = false
    private var dayAfterMonth = false

    /// The kinds of quantity `bytes` (UTF-8) state.
    static func kinds(in bytes: UnsafeBufferPointer<UInt8>) -> AnswerTypes {
        var scanner = QuantityScanner()
        scanner.scan(bytes)
        return scanner.found
    }

    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        var position = 0
        let count = bytes.count
        func isEuroSign(at position: Int) -> Bool {
            position + 2 < count && bytes[position] == 0xE2 && bytes[position + 1] == 0x82
                && bytes[position + 2] == 0xAC
        }
        while position < count {
            let byte = bytes[position]
            if Self.isDigit(byte) {
                var value = 0
                var digits = 0
                while position < count, Self.isDigit(bytes[position]) {
                    if digits < 9 { value = value * 10 + Int(bytes[position] - 0x30) }
                    digits += 1
                    position += 1
                }
                if take(.number(value: value, digits: digits)) { return }
            } else if isEuroSign(at: position) {
                if take(.currency) { return }
                position += 3
            } else if Self.isLetter(byte) || byte >= 0x80 {
                var code: UInt64 = 0
                var length = 0
                var known = true
                let first = byte | 0x20
                while position < count {
                    let letter = bytes[position]
                    if Self.isLetter(letter) {
                        if length < 12 { code = code << 5 | UInt64((letter | 0x20) - 0x60) }
                    } else if letter >= 0x80 {
                        if letter == 0xE2, isEuroSign(at: position) { break }
                        known = false
                    } else {
                        break
                    }
                    length += 1
                    position += 1
                }
                // Most words cannot be one the rules read: their first letter or length says so without the table
                // lookup, which cost half the scan.
                let possible = known && Self.lengths.contains(length) && Self.firstLetters & Self.bit(first) != 0
                let token = possible ? Self.words[code] ?? .other : .other
                if take(token) { return }
            } else {
                if byte == 0x24, take(.currency) { return }
                position += 1
            }
        }
    }

    /// Reads the token at ``index``; true once every kind is found (the rest of the text cannot add one).
    private mutating func take(_ token: Token) -> Bool {
        defer { index += 1 }
        switch token {
        case .currency:
            if index - lastNumber <= 2 { found.insert(.money) }
            lastCurrency = index
        case .number(let value, let digits):
            if index - lastCurrency == 1 { found.insert(.money) }
            lastNumber = index
            lastCount = index
            let afterMonth = index - month
            if afterMonth == 1 || afterMonth == 2 {
                if digits == 4, (1900...2199).contains(value), dayBeforeMonth || dayAfterMonth { found.insert(.date) }
                if afterMonth == 1, digits <= 2, (1...31).contains(value) { dayAfterMonth = true }
            }
            if digits <= 2, (1...31).contains(value) { lastDay = index }
        case .numberWord:
            lastCount = index
        case .timeUnit:
            if index - lastCount <= 2 { found.insert(.duration) }
        case .month:
            month = index
            dayBeforeMonth = index - lastDay == 1
            dayAfterMonth = false
        case .other:
            break
        }
        return found == .all
    }

    /// A lowercase ASCII letter's bit in a mask of letters.
    static func bit(_ letter: UInt8) -> UInt32 { letter >= 0x61 && letter <= 0x7A ? 1 << UInt32(letter - 0x61) : 0 }
    /// The first letters and the lengths of the words the rules read.
    static let firstLetters = (currencyWords + timeUnitWords + numberWords + monthWords).reduce(UInt32(0)) {
        $0 | bit($1.utf8.first ?? 0)
    }
    static let lengths: ClosedRange<Int> = {
        let sizes = (currencyWords + timeUnitWords + numberWords + monthWords).map(\.utf8.count)
        return (sizes.min() ?? 0)...(sizes.max() ?? 0)
    }()
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// A lowercase ASCII word packed as `scan(_:)` packs the letters it reads.
    static func code(_ word: String) -> UInt64 {
        word.utf8.reduce(0) { $0 << 5 | UInt64($1 - 0x60) }
    }

    static let currencyWords = ["eur", "euro", "euros", "usd", "dollar", "dollars"]
    static let timeUnitWords = ["hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years"]
    static let numberWords = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
        "eighteen", "twenty", "thirty", "forty", "sixty", "ninety",
    ]
    static let monthWords = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ]

    static let words: [UInt64: Token] = {
        var table: [UInt64: Token] = [:]
        for word in currencyWords { table[code(word)] = .currency }
        for word in timeUnitWords { table[code(word)] = .timeUnit }
        for word in numberWords { table[code(word)] = .numberWord }
        for word in monthWords { table[code(word)] = .month }
        return table
    }()
}
