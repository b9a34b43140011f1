import DocumentFixtures
import Documents
import Evaluation
import Foundation
import Knowledge
import Testing

/// The learner question set stays honest when loaders or the chunker change: every evidence phrase, folded as
/// `aigov eval questions` folds it, occurs in one to three chunks of the corpus as ingestion would chunk it, one
/// of them in the question's own document (the rule of `scripts/check_questions.py`, without embedding).
@Suite struct LearnerQuestionTests {
    static let maxChunks = 3

    @Test func everyEvidencePhraseIsInOneToThreeChunks() throws {
        let tokenizer = try #require(Fixtures.tokenizer, "the model's tokenizer is needed (scripts/setup)")
        let corpus = Fixtures.root.appendingPathComponent("corpus")
        let chunker = Chunker(counter: tokenizer, maxTokens: KnowledgeBase.Options().maxChunkTokens)
        var chunks: [(document: String, text: String)] = []
        for file in try InputCollector.files([corpus.path]) {
            let document = try DocumentLoader().load(fileAt: file)
            chunks += chunker.chunk(document).map { (document.id, PhraseMatcher.fold($0.text)) }
        }
        let documents = Set(chunks.map(\.document))
        let questions = try EvaluationQuestion.load(
            Fixtures.root.appendingPathComponent("fixtures/questions/learner.jsonl"))
        #expect(questions.count >= 150)
        for question in questions {
            let label = question.id ?? question.question
            let document = try #require(question.document, "\(label): no document")
            #expect(documents.contains(document), "\(label): \(document) is not a corpus document")
            #expect(question.provision?.isEmpty == false, "\(label): no provision")
            #expect(["tune", "heldout", "fresh"].contains(question.split), "\(label): split \(question.split ?? "-")")
            for phrase in question.expect {
                let wanted = PhraseMatcher.fold(phrase)
                let found = chunks.filter { $0.text.contains(wanted) }
                #expect(
                    (1...Self.maxChunks).contains(found.count),
                    "\(label): '\(phrase)' occurs in \(found.count) chunks (\(Set(found.map(\.document))))")
                #expect(found.contains { $0.document == document }, "\(label): '\(phrase)' is not in \(document)")
            }
        }
    }
}
