import Foundation
import TextAnalysis

/// The score multipliers of ``RankingOptions`` for one question, applied to the fused candidates.
package struct StructurePriors {
    let recitalFactor: Double
    package let namedDocuments: [String]
    let namedDocumentFactor: Double
    let provisionWeight: Double
    /// ``RankingOptions/obligationFactor`` when this question asks what the law says, else 1.
    let obligationFactor: Double
    /// The kind of quantity the question asks for, when ``RankingOptions/answerTypeFactor`` is on.
    let answerType: AnswerType?
    let answerTypeFactor: Double

    package init(_ options: RankingOptions, question: String?) {
        let text = question.map(RuleFile.normalise) ?? ""
        // "Why" questions ask for the reasons, which is what recitals give.
        recitalFactor = RuleFile.contains(text, phrase: "why") ? 1 : options.recitalFactor
        namedDocuments =
            options.namedDocumentFactor == 1 ? [] : options.documentNames.documents(namedIn: question ?? "")
        namedDocumentFactor = options.namedDocumentFactor
        provisionWeight = options.provisionWeight
        let asksTheLaw = options.obligationFactor != 1 && LegalQuestionCues.matches(text)
        obligationFactor = asksTheLaw ? options.obligationFactor : 1
        answerType = options.answerTypeFactor == 1 ? nil : AnswerType.asked(in: text)
        answerTypeFactor = options.answerTypeFactor
    }

    package var isActive: Bool {
        recitalFactor != 1 || !namedDocuments.isEmpty || provisionWeight != 0 || obligationFactor != 1
            || answerType != nil
    }

    /// `fused` rescored and re-sorted (stable: equal scores keep their fused order). `fields` gives a candidate's
    /// document id and section label; `states`, asked only when the question asks for a quantity, whether its
    /// passage states one of that kind (``AnswerType/isStated(in:)``).
    package func apply<ID>(
        _ fused: [(id: ID, score: Double)], fields: (ID) -> (documentID: String, section: String),
        states: (ID, AnswerType) -> Bool
    ) -> [(id: ID, score: Double)] {
        let rescored = fused.enumerated().map { position, item -> (id: ID, score: Double, position: Int) in
            let (documentID, section) = fields(item.id)
            var factor = 1.0
            if recitalFactor != 1, section.hasPrefix("Recital ") { factor *= recitalFactor }
            let named = !namedDocuments.isEmpty && DocumentNames.matches(documentID, namedDocuments)
            // Only the named documents' articles when the question names any: "Does NIST say companies must ..."
            // asks what NIST says, "banned in the European Union" what the EU's acts say.
            if obligationFactor != 1, section.hasPrefix("Article ") || section.hasPrefix("Annex "),
                namedDocuments.isEmpty || named
            {
                factor *= obligationFactor
            }
            if named { factor *= namedDocumentFactor }
            if let answerType, states(item.id, answerType) { factor *= answerTypeFactor }
            return (item.id, item.score * factor, position)
        }
        var aggregated = rescored
        if provisionWeight != 0 {
            var groups: [String: Double] = [:]
            var keys: [String?] = []
            for item in rescored {
                let (documentID, section) = fields(item.id)
                let key = section.isEmpty ? nil : documentID + "\u{1F}" + ProvisionLabel.provision(of: section)
                keys.append(key)
                if let key { groups[key, default: 0] += item.score }
            }
            for index in aggregated.indices {
                guard let key = keys[index], let total = groups[key] else { continue }
                aggregated[index].score += provisionWeight * (total - rescored[index].score)
            }
        }
        return aggregated.sorted { lhs, rhs in
            lhs.score != rhs.score ? lhs.score > rhs.score : lhs.position < rhs.position
        }.map { (id: $0.id, score: $0.score) }
    }
}
