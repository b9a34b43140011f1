import TextAnalysis

/// The kind of quantity a question asks for, when its answer is one: an amount of money ("What fines apply?"),
/// a period of time ("How long does a company have to reply?") or a date ("When does the AI Act start to
/// apply?").
///
/// Learners ask these in words the answering paragraph does not use ("fines apply", "start to apply"), while
/// the paragraph states the figure itself: "administrative fines of up to EUR 35 000 000", "within one month",
/// "shall apply from 2 August 2026". Among the passages a search finds for such a question, the ones that state
/// a quantity of the kind asked are the likelier answers, the classic answer-type match of question answering;
/// ``StructurePriors`` raises them by ``RankingOptions/answerTypeFactor``. Article 99's paragraphs on how fines
/// are decided (99(7)) otherwise outranked the ones stating the amounts (99(3)-(5)) for "What fines apply under
/// the AI Act?". The factor is mild (1.5, docs/BENCHMARKS.md "Quantities asked for"): a passage naming a period
/// in passing ("within one month" in Article 14(3)) can still pass the principle a how-long question asks for.
///
/// The cues were written from the ways English asks for money, time and dates, not from the question set's
/// wording; the whole lists are below so a reviewer can judge them in one place.
package enum AnswerType: Sendable, Equatable {
    case money, duration, date

    /// Phrases (``RuleFile/contains(_:phrase:)`` on the normalised question) that ask for an amount of money.
    /// "Fine" counts as the noun only: after an article or before "for", "of" or "if", or as the last word
    /// ("the maximum GDPR fine"); "fine particulate matter" (a SciFact claim) asks for no money.
    static let moneyCues = [
        "fines", "fined", "penalty", "penalties", "how much money", "a fine", "the fine", "any fine", "fine for",
        "fine of", "fine if",
    ]

    /// Phrases that ask for a period of time.
    static let durationCues = [
        "how long", "how fast", "how soon", "how quickly", "how many hours", "how many days", "how many weeks",
        "how many months", "how many years", "by when", "deadline", "deadlines", "time limit", "within what time",
    ]

    /// Phrases that ask for a date on their own.
    static let dateCues = ["from what date", "what date", "which date", "since when", "from when"]

    /// Words that, in a question with "when", ask when a text takes effect ("When does it start to apply?"),
    /// which a date answers; "When does a company need a DPO?" asks for conditions instead.
    static let takingEffect = [
        "apply", "applies", "applying", "applied", "start", "starts", "started", "begin", "begins", "began",
        "in force", "into force", "take effect", "takes effect", "took effect", "effective",
    ]

    /// The kind of quantity `normalised` (``RuleFile/normalise(_:)``) asks for, if any.
    package static func asked(in normalised: String) -> AnswerType? {
        func any(_ phrases: [String]) -> Bool { phrases.contains { RuleFile.contains(normalised, phrase: $0) } }
        if any(durationCues) { return .duration }
        if any(dateCues) || (RuleFile.contains(normalised, phrase: "when") && any(takingEffect)) { return .date }
        if any(moneyCues) || normalised.split(separator: " ").last == "fine" { return .money }
        return nil
    }

    /// Whether `text` states a quantity of this kind: a currency beside a number ("EUR 35 000 000", "$10
    /// million", "15 million euros"), a number of hours, days, weeks, months or years ("72 hours", "within one
    /// month", "two further months"), or a day, month and year ("2 August 2026", "January 20, 2025").
    package func isStated(in text: String) -> Bool { AnswerTypes.stated(in: text).contains(AnswerTypes(self)) }
}

/// A set of ``AnswerType``s: the kinds of quantity a passage states, kept per passage by the local index.
package struct AnswerTypes: OptionSet, Sendable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    package static let money = AnswerTypes(rawValue: 1)
    package static let duration = AnswerTypes(rawValue: 2)
    package static let date = AnswerTypes(rawValue: 4)
    package static let all: AnswerTypes = [.money, .duration, .date]

    package init(_ type: AnswerType) {
        switch type {
        case .money: self = .money
        case .duration: self = .duration
        case .date: self = .date
        }
    }

    /// The kinds of quantity `text` states (``QuantityScanner``).
    package static func stated(in text: String) -> AnswerTypes {
        var text = text
        return text.withUTF8 { QuantityScanner.kinds(in: $0) }
    }
}
