import Retrieval
import Testing
import TextAnalysis

/// The answer-type prior: a question asking for an amount of money, a period or a date prefers the passages
/// that state one (``AnswerType``), on a real in-memory index.
@Suite struct AnswerTypePriorTests {
    func asked(_ question: String) -> AnswerType? { AnswerType.asked(in: RuleFile.normalise(question)) }

    @Test func questionsAskingForAQuantity() {
        #expect(asked("What fines apply under the AI Act?") == .money)
        #expect(asked("What is the maximum GDPR fine?") == .money)
        #expect(asked("What's the biggest fine for using a banned practice?") == .money)
        #expect(asked("How long can a company keep my data?") == .duration)
        #expect(asked("By when must the plan be ready?") == .duration)
        #expect(asked("When does the AI Act start to apply?") == .date)
        #expect(asked("From what date are these practices banned?") == .date)
        // "When" asking for conditions, "fine" as an adjective, and no quantity at all.
        #expect(asked("When does a company need a data protection officer?") == nil)
        #expect(asked("Exposure to fine particulate air pollution is related to anxiety.") == nil)
        #expect(asked("Is it fine-tuning that makes a model general-purpose?") == nil)
        #expect(asked("Which AI practices are prohibited?") == nil)
    }

    @Test func passagesStatingAQuantity() {
        #expect(AnswerType.money.isStated(in: "administrative fines of up to EUR 35 000 000 or 7 %"))
        #expect(AnswerType.money.isStated(in: "a penalty of $10,000 per day"))
        #expect(AnswerType.money.isStated(in: "fines of 15 million euros"))
        #expect(!AnswerType.money.isStated(in: "the amount of the administrative fine shall take into account"))
        #expect(!AnswerType.money.isStated(in: "the euro area in 2024"))
        #expect(AnswerType.duration.isStated(in: "not later than 72 hours after having become aware of it"))
        #expect(AnswerType.duration.isStated(in: "within one month of receipt of the request"))
        #expect(AnswerType.duration.isStated(in: "extended by two further months"))
        #expect(!AnswerType.duration.isStated(in: "no longer than is necessary; months of work"))
        #expect(AnswerType.date.isStated(in: "It shall apply from 2 August 2026."))
        #expect(AnswerType.date.isStated(in: "signed on January 20, 2025, by"))
        #expect(!AnswerType.date.isStated(in: "by August, and 2026 at the latest; Article 2 May 2"))
        // The euro sign on either side, upper case, words with accents, and a text ending inside a word.
        #expect(AnswerType.money.isStated(in: "up to € 500 per day"))
        #expect(AnswerType.money.isStated(in: "up to 500€"))
        #expect(AnswerType.money.isStated(in: "UP TO EUR 20 000 000"))
        #expect(!AnswerType.money.isStated(in: "amende de 20 000 000 d’euros"))
        #expect(!AnswerType.date.isStated(in: "le 2 août 2026"))
        #expect(AnswerType.date.isStated(in: "Anwendung ab 2 August 2026 für"))
        #expect(!AnswerType.duration.isStated(in: "72 hou"))
        #expect(!AnswerType.duration.isStated(in: ""))
    }

    @Test func aQuestionAskingForAQuantityPrefersAPassageStatingOne() throws {
        let index = try RankingPriorsTests().index([
            (
                "criteria", "act", "Article 99(7)",
                "fines apply fines apply: when deciding on the amount of the administrative fine, regard to"
            ),
            ("amounts", "act", "Article 99(3)", "fines apply of up to EUR 35 000 000 or 7 % of turnover"),
        ])
        var ranking = RankingOptions()
        ranking.answerTypeFactor = 1.5
        let ids = { (question: String, options: RankingOptions) in
            try RankingPriorsTests().ids(index, question, options)
        }
        #expect(try ids("What fines apply?", .plain).first == "criteria")
        #expect(try ids("What fines apply?", ranking).first == "amounts")
        // A question asking for something else keeps the fused order.
        #expect(try ids("Do these apply?", ranking).first == "criteria")
    }
}
