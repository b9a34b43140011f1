import APIServer
import Answering
import ArgumentParser
import Evaluation
import Foundation
import Knowledge
import Retrieval

/// `aigov eval answers`: what the offline (extractive) answer of `aigov ask` says to each question of a set, judged
/// by the question's evidence phrases, so work on the answer is measured the way retrieval is.
struct EvalAnswers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answers",
        abstract: "Answer every question of a JSONL file offline and score the answers against their evidence.",
        discussion: """
            Each question is searched (hybrid, --top-k passages, completed as `aigov ask` completes them) and \
            answered by the extractive answerer, with no language model. Reported per split, as shares of the \
            questions: retrieved (an expected phrase is in a passage the answerer read: the ceiling), quoted (the \
            answer's text holds an expected phrase, citation markers removed), led (its first paragraph, what a \
            reader meets first, holds one), cited (a source the answer cites holds one), and declined (the answer \
            says the sources do not answer). Phrases match as in `aigov eval questions`. For the questions whose provision is an article's paragraph ("Article 26(7)"), also \
            labelled: the share whose answer quotes something under that paragraph's label ("Article 26(7): ").
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Argument(help: "The questions (JSON Lines).")
    var file: String

    @Option(help: "Passages answered from per question, as `aigov ask --top-k`.")
    var topK = 5

    @Option(help: "Only the questions of this split (tune, heldout or fresh).")
    var split: String?

    @Flag(inversion: .prefixedNo, help: "Score sentences with the encoder too, as `aigov ask` does.")
    var semantic = true

    @Flag(help: "Print one JSON object on stdout, with each question's outcome.")
    var json = false

    func validate() throws {
        guard (1...50).contains(topK) else { throw ValidationError("--top-k must be between 1 and 50") }
    }

    /// One question's answer, judged.
    struct Outcome {
        var item: EvaluationQuestion
        var retrieved: Bool
        var quoted: Bool
        /// Whether the answer's first paragraph (the first passage it quotes) holds an expected phrase.
        var led: Bool
        var cited: Bool
        var declined: Bool
        /// Whether the answer quotes under the question's paragraph label; nil when that is not judged.
        var labelled: Bool?
        var answer: String
        /// The answerer's own time (sentence scoring included), from ``AnswerTimings``.
        var milliseconds: Double
    }

    func run() async throws {
        let questions = try loadQuestions(file, split: split)
        let base = try await openKnowledgeBase(data, model, options: RerankerSettings.apply(threads: model.threads))
        var answerer = Answerer.over(base, chat: nil)
        if !semantic { answerer.relevance = nil }
        var outcomes: [Outcome] = []
        for item in questions {
            let citations: [Citation]
            do {
                citations = try await base.search(item.question, topK: topK, mode: .hybrid)
            } catch let error as RetrievalError {
                throw CLIError("search: \(error)")
            }
            let passages = await answerPassages(citations, base: base)
            let answer: Answer
            do {
                answer = try await answerer.answer(question: item.question, passages: passages)
            } catch {
                throw CLIError("answering was cancelled")
            }
            let cited = passages.filter { answer.citedSources.contains($0.number) }.map(\.text)
            let plain = CitationMarkers.removingInvalid(from: answer.text, sourceCount: 0)
            let opening = plain.components(separatedBy: "\n\n").first ?? plain
            outcomes.append(
                Outcome(
                    item: item,
                    retrieved: PhraseMatcher.firstHit(passages: passages.map(\.text), phrases: item.expect) != nil,
                    quoted: PhraseMatcher.firstHit(passages: [plain], phrases: item.expect) != nil,
                    led: PhraseMatcher.firstHit(passages: [opening], phrases: item.expect) != nil,
                    cited: PhraseMatcher.firstHit(passages: cited, phrases: item.expect) != nil,
                    declined: [ExtractiveAnswerer.noMatchText, Answerer.noSourcesText].contains(answer.text),
                    labelled: item.provision.flatMap { ParagraphCitation.names($0, in: answer.text) },
                    answer: answer.text, milliseconds: answer.timings.generationMilliseconds))
        }
        let groups =
            [("all", outcomes)]
            + orderedSplits(questions).map { name in
                (name, outcomes.filter { $0.item.split == name })
            }
        if json {
            var object: [String: Any] = [:]
            for (name, members) in groups { object[name] = fields(members) }
            object["top_k"] = topK
            object["questions"] = outcomes.map { outcome in
                [
                    "id": outcome.item.id ?? "", "split": outcome.item.split ?? "", "retrieved": outcome.retrieved,
                    "quoted": outcome.quoted, "led": outcome.led, "cited": outcome.cited, "declined": outcome.declined,
                    "labelled": outcome.labelled.map { $0 as Any } ?? NSNull(), "answer": outcome.answer,
                ] as [String: Any]
            }
            try printJSON(object)
            return
        }
        for (name, members) in groups where !(name == "all" && groups.count == 2) {
            let shares = fields(members)
            print(
                String(
                    format: "%@: retrieved %.3f  quoted %.3f  led %.3f  cited %.3f  declined %.3f  labelled %@ of %d  "
                        + "(%d questions; answering p50 %.1f ms)", name, shares["retrieved"] as! Double,
                    shares["quoted"] as! Double, shares["led"] as! Double, shares["cited"] as! Double,
                    shares["declined"] as! Double,
                    (shares["labelled"] as? Double).map { String(format: "%.3f", $0) } ?? "-",
                    shares["label_judged"] as! Int, members.count, shares["answer_ms_p50"] as! Double))
        }
    }

    func fields(_ outcomes: [Outcome]) -> [String: Any] {
        func share(_ keep: (Outcome) -> Bool) -> Double {
            outcomes.isEmpty ? 0 : Double(outcomes.filter(keep).count) / Double(outcomes.count)
        }
        let judged = outcomes.compactMap(\.labelled)
        return [
            "questions": outcomes.count, "retrieved": share(\.retrieved), "quoted": share(\.quoted),
            "led": share(\.led), "cited": share(\.cited), "declined": share(\.declined), "label_judged": judged.count,
            "labelled": judged.isEmpty ? NSNull() : Double(judged.filter { $0 }.count) / Double(judged.count),
            "answer_ms_p50": outcomes.isEmpty ? 0 : outcomes.map(\.milliseconds).sorted()[outcomes.count / 2],
        ]
    }

}
