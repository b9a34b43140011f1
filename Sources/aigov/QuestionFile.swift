import Evaluation
import Foundation

/// The question set of `aigov eval questions` and `aigov eval answers`: `file`'s questions, only those of `split`
/// when one is named. Fails, with the file's name, when none remain.
func loadQuestions(_ file: String, split: String?) throws -> [EvaluationQuestion] {
    var questions: [EvaluationQuestion]
    do {
        questions = try EvaluationQuestion.load(URL(fileURLWithPath: file))
    } catch let error as EvaluationError {
        throw CLIError(error.description)
    }
    if let split { questions = questions.filter { $0.split == split } }
    guard !questions.isEmpty else {
        throw CLIError("\(file) holds no questions\(split.map { " of split '\($0)'" } ?? "")")
    }
    return questions
}

/// The splits named in `questions`, in order of first appearance.
func orderedSplits(_ questions: [EvaluationQuestion]) -> [String] {
    var seen = Set<String>()
    return questions.compactMap(\.split).filter { seen.insert($0).inserted }
}
