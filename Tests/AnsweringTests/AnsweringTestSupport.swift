import AigovTestSupport
import Answering
import Foundation
import Synchronization
import Testing

/// A model name playing `scenario` on the scripted server, unique to the calling test.
func model(_ scenario: String) -> String { scriptedModel(scenario) }

/// Collects what a `@Sendable` callback receives.
final class Collector<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])
    func append(_ item: Element) { items.withLock { $0.append(item) } }
    var all: [Element] { items.withLock { $0 } }
}

/// The error `body` throws, or nil; an error that is not an `AnsweringError` is recorded as an issue.
func error(of body: () async throws -> Void) async -> AnsweringError? {
    do {
        try await body()
        return nil
    } catch let error as AnsweringError {
        return error
    } catch {
        Issue.record("not an AnsweringError: \(error)")
        return nil
    }
}

/// Seconds elapsed while running `body`.
func seconds(_ body: () async -> Void) async -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    await body()
    let elapsed = (clock.now - start).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
}

/// The text the scripted server's answer scenarios stream, piece by piece.
let scriptedAnswerPieces = [
    "Providers of high-risk AI systems must ",
    "establish a risk management system [1]. ",
    "Deployers must monitor the operation of the system [2][7].",
    "\n\nNon-compliance can lead to fines [9].",
]

/// A secret the server puts in error bodies; it must never reach an error.
let scriptedSecret = "SUPERSECRET"

/// Test passages about the EU AI Act, numbered 1...n.
func samplePassages(count: Int = 3) -> [Passage] {
    let texts = [
        """
        Article 9 Risk management system. 1. A risk management system shall be established, implemented, \
        documented and maintained in relation to high-risk AI systems. 2. The risk management system shall be \
        understood as a continuous iterative process planned and run throughout the entire lifecycle of a \
        high-risk AI system, e.g. through regular systematic review and updating.
        """,
        """
        Deployers of high-risk AI systems shall monitor the operation of the high-risk AI system on the basis \
        of the instructions for use. Where deployers have reason to consider that the use may result in a risk, \
        they shall inform the provider without undue delay.
        """,
        """
        Non-compliance with the prohibition of the AI practices referred to in Article 5 shall be subject to \
        administrative fines of up to EUR 35 000 000.
        """,
    ]
    return (0..<count).map { index in
        Passage(
            number: index + 1, chunkID: "chunk-\(index + 1)", documentID: "eu-ai-act",
            documentTitle: "EU AI Act", documentSource: "EUR-Lex", documentURL: "https://eur-lex.europa.eu/",
            section: ["Article 9", "Article 26", "Article 99"][index % 3], pageStart: 50 + index,
            pageEnd: 50 + index, chunkIndex: index, text: texts[index % 3], score: 1 / Double(index + 1))
    }
}
