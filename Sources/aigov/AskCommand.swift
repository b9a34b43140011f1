import APIServer
import Answering
import ArgumentParser
import Foundation
import Knowledge
import Retrieval
import Settings

struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "Answer a question from the indexed documents, with citations.",
        discussion: """
            Uses the chat model named by GROQ_API_KEY / GROQ_BASE_URL / GROQ_MODEL; without them (or when the \
            model fails) the answer is extractive: the best-matching sentences of the passages, cited.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Argument(help: "The question.")
    var text: String

    @Option(help: "How many passages to answer from (1-50).")
    var topK: Int = 5

    @Option(help: "hybrid (dense + BM25, fused), dense or lexical.")
    var mode: SearchMode = .hybrid

    @Flag(help: "Print {answer, citations, mode, grounded, cited_sources, timings} on stdout.")
    var json = false

    func validate() throws {
        guard (1...50).contains(topK) else { throw ValidationError("--top-k must be between 1 and 50") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValidationError("the question is empty") }
        guard trimmed.count <= 2000 else { throw ValidationError("the question is over 2,000 characters") }
    }

    func run() async throws {
        let question = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let chatConfiguration = ChatSettings.chat()
        var chat: ChatClient?
        if let chatConfiguration {
            do {
                chat = try ChatClient(configuration: chatConfiguration)
            } catch {
                throw CLIError("GROQ_BASE_URL / GROQ_API_KEY: \(error.message)")
            }
        }
        let base = try await openKnowledgeBase(data, model, options: RerankerSettings.apply(threads: model.threads))
        let search = try ConfiguredSearch(base: base)
        let started = monotonicSeconds()
        let citations = try await search.search(question, topK: topK, mode: mode)
        let retrievalMs = (monotonicSeconds() - started) * 1000
        let extended = await answerPassages(citations, base: base)
        let answerer = Answerer.over(base, chat: chat)
        var final: Answer?
        for try await event in answerer.streamAnswer(question: question, passages: extended) {
            switch event {
            case .delta(let piece):
                if !json { FileHandle.standardOutput.write(Data(piece.utf8)) }
            case .done(let answer):
                final = answer
            }
        }
        guard let answer = final else { throw CLIError("answering was cancelled") }
        let totalMs = (monotonicSeconds() - started) * 1000
        if json {
            let output = AskOutput(
                answer: answer.text, citations: citations, mode: answer.mode.rawValue, grounded: answer.grounded,
                unsupportedSentences: answer.unsupportedSentences, citedSources: answer.citedSources,
                timings: [
                    "retrieval_ms": retrievalMs, "generation_ms": answer.timings.generationMilliseconds,
                    "total_ms": totalMs,
                ],
                fallbackReason: answer.fallbackReason?.rawValue)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(output) + Data("\n".utf8))
            return
        }
        print("\n")
        for (index, hit) in citations.enumerated() where answer.citedSources.contains(index + 1) {
            var place = [hit.documentTitle]
            if let section = hit.section { place.append(section) }
            if let start = hit.pageStart, let end = hit.pageEnd {
                place.append(start == end ? "p. \(start)" : "pp. \(start)-\(end)")
            }
            print("[\(index + 1)] \(place.joined(separator: " — "))")
        }
        let how = answer.mode == .generated ? "generated" : "extractive (\(answer.fallbackReason?.rawValue ?? ""))"
        printError(String(format: "%@ answer; retrieval %.0f ms, total %.0f ms", how, retrievalMs, totalMs))
    }
}

/// `aigov ask --json` output: the API's query response fields.
private struct AskOutput: Encodable {
    var answer: String
    var citations: [Citation]
    var mode: String
    var grounded: Bool
    var unsupportedSentences: [String]
    var citedSources: [Int]
    var timings: [String: Double]
    var fallbackReason: String?

    enum CodingKeys: String, CodingKey {
        case answer, citations, mode, grounded, timings
        case unsupportedSentences = "unsupported_sentences"
        case citedSources = "cited_sources"
        case fallbackReason = "fallback_reason"
    }
}
