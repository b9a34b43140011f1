import Foundation
import Retrieval
import TextAnalysis

/// The ranking settings of `serve`, `search`, `ask` and `eval`, from the environment:
///
/// - `RANKING_PRIORS` (default true): false gives plain reciprocal-rank fusion and ignores the others;
/// - `RANKING_FUSION_K`, `RANKING_DENSE_WEIGHT`, `RANKING_RECITAL_FACTOR`, `RANKING_NAMED_DOCUMENT_FACTOR`,
///   `RANKING_PROVISION_WEIGHT`, `RANKING_WINDOW_SHARE`:
///   numbers overriding ``RankingDefaults`` (a window share of 0 also stops ingest embedding windows);
/// - `RANKING_VOCABULARY`, `RANKING_DEFINITIONS` (defaults per ``RankingDefaults``): the learner-to-legal query
///   expansion and the definitions lookup;
/// - `RANKING_DATA_DIR`: the folder of `vocabulary.tsv` and `documents.tsv` (default: the first
///   `corpus/ranking` found walking up from the working directory, then from the executable). A missing folder
///   leaves the data-driven priors off, with a note on stderr.
func rankingOptions(_ environment: [String: String]) throws -> RankingOptions {
    func flag(_ name: String, _ fallback: Bool) throws -> Bool {
        let value = (environment[name] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        switch value {
        case "": return fallback
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw CLIError("\(name) must be true or false, not '\(value)'")
        }
    }
    func number(_ name: String, _ fallback: Double, _ range: ClosedRange<Double>) throws -> Double {
        let value = (environment[name] ?? "").trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { return fallback }
        guard let parsed = Double(value), range.contains(parsed) else {
            throw CLIError("\(name) must be a number in \(range.lowerBound)...\(range.upperBound), not '\(value)'")
        }
        return parsed
    }
    guard try flag("RANKING_PRIORS", true) else { return .plain }
    var options = RankingOptions(
        fusionK: try number("RANKING_FUSION_K", RankingDefaults.fusionK, 1...1000),
        denseWeight: try number("RANKING_DENSE_WEIGHT", RankingDefaults.denseWeight, 0...10),
        recitalFactor: try number("RANKING_RECITAL_FACTOR", RankingDefaults.recitalFactor, 0...10),
        namedDocumentFactor: try number("RANKING_NAMED_DOCUMENT_FACTOR", RankingDefaults.namedDocumentFactor, 0...10),
        provisionWeight: try number("RANKING_PROVISION_WEIGHT", RankingDefaults.provisionWeight, 0...10))
    options.windowShare = try number("RANKING_WINDOW_SHARE", RankingDefaults.windowShare, 0...1)
    options.definitions = try flag("RANKING_DEFINITIONS", RankingDefaults.definitions)
    options.provisions = try flag("RANKING_PROVISIONS", RankingDefaults.provisions)
    options.expandDense = try flag("RANKING_EXPAND_DENSE", RankingDefaults.expandDense)
    options.searchNamedDocuments = try flag("RANKING_SEARCH_NAMED", RankingDefaults.searchNamedDocuments)
    options.feedbackTerms = Int(try number("RANKING_FEEDBACK_TERMS", Double(RankingDefaults.feedbackTerms), 0...50))
    let useVocabulary = try flag("RANKING_VOCABULARY", RankingDefaults.vocabulary)
    guard useVocabulary || options.namedDocumentFactor != 1 else { return options }
    guard let folder = rankingDataDirectory(environment) else {
        printError("ranking data (corpus/ranking) not found; RANKING_DATA_DIR names it; vocabulary and names off")
        return options
    }
    func read(_ name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw CLIError("cannot read \(url.path): \(error.localizedDescription)")
        }
    }
    if useVocabulary { options.vocabulary = QueryVocabulary(parsing: try read("vocabulary.tsv")) }
    if options.namedDocumentFactor != 1 { options.documentNames = DocumentNames(parsing: try read("documents.tsv")) }
    return options
}

/// The settings kept after the experiments of docs/BENCHMARKS.md ("Governance ranking experiments").
enum RankingDefaults {
    static let fusionK = 60.0
    static let denseWeight = 1.0
    static let recitalFactor = 0.5
    static let namedDocumentFactor = 3.0
    static let vocabulary = true
    static let provisionWeight = 0.0
    static let definitions = true
    static let provisions = true
    static let expandDense = false
    static let searchNamedDocuments = false
    static let feedbackTerms = 0
    static let windowShare = 0.5
}

/// `RANKING_DATA_DIR`, else the first `corpus/ranking` folder above the working directory or the executable.
func rankingDataDirectory(_ environment: [String: String]) -> URL? {
    if let value = environment["RANKING_DATA_DIR"], !value.isEmpty { return URL(fileURLWithPath: value) }
    var starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
    if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        starts.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
    }
    return rankingDataDirectory(searchingUpFrom: starts)
}

/// The first `corpus/ranking` holding `vocabulary.tsv` in or above each start, tried in order: a working
/// directory outside the checkout must still fall through to the executable's checkout.
func rankingDataDirectory(searchingUpFrom starts: [URL]) -> URL? {
    for start in starts {
        var folder = start.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent("corpus/ranking")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("vocabulary.tsv").path) {
                return candidate
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
    }
    return nil
}
