import Foundation
import Retrieval
import TextAnalysis

/// The ranking settings of `serve`, `search`, `ask` and `eval`, from the environment:
///
/// - `RANKING_PRIORS` (default true): false gives plain reciprocal-rank fusion and ignores the others;
/// - `RANKING_FUSION_K`, `RANKING_DENSE_WEIGHT`, `RANKING_RECITAL_FACTOR`, `RANKING_NAMED_DOCUMENT_FACTOR`,
///   `RANKING_OBLIGATION_FACTOR`, `RANKING_ANSWER_TYPE_FACTOR`, `RANKING_PROVISION_WEIGHT`, `RANKING_WINDOW_SHARE`,
///   `RANKING_FEEDBACK_TERMS`: numbers overriding ``RankingDefaults`` (a window share of 0 also stops ingest embedding windows);
/// - `RANKING_VOCABULARY`, `RANKING_STRIP_NAMES`, `RANKING_DEFINITIONS`, `RANKING_PROVISIONS`,
///   `RANKING_EXPAND_DENSE`, `RANKING_SEARCH_NAMED` (defaults per ``RankingDefaults``): the learner-to-legal query
///   expansion, document names left out of the BM25 query, the definitions and provision lookups and their
///   variants;
/// - `RANKING_DATA_DIR`: the folder of `vocabulary.tsv` and `documents.tsv` (default: the first
///   `corpus/ranking` found walking up from the working directory, then from the executable).
public enum RankingSettings {
    /// The options the environment names. A missing ranking-data folder leaves the data-driven priors off and
    /// says so through `warn`; an unreadable file in it is an error.
    public static func options(
        _ environment: EnvironmentValues = EnvironmentValues(), warn: (String) -> Void
    ) throws -> RankingOptions {
        guard try environment.flag("RANKING_PRIORS", default: true) else { return .plain }
        func number(_ name: String, _ fallback: Double, _ range: ClosedRange<Double>) throws -> Double {
            try environment.number(name, default: fallback, range: range)
        }
        var options = RankingOptions(
            fusionK: try number("RANKING_FUSION_K", RankingDefaults.fusionK, 1...1000),
            denseWeight: try number("RANKING_DENSE_WEIGHT", RankingDefaults.denseWeight, 0...10),
            recitalFactor: try number("RANKING_RECITAL_FACTOR", RankingDefaults.recitalFactor, 0...10),
            namedDocumentFactor: try number(
                "RANKING_NAMED_DOCUMENT_FACTOR", RankingDefaults.namedDocumentFactor, 0...10),
            provisionWeight: try number("RANKING_PROVISION_WEIGHT", RankingDefaults.provisionWeight, 0...10))
        options.windowShare = try number("RANKING_WINDOW_SHARE", RankingDefaults.windowShare, 0...1)
        options.obligationFactor = try number("RANKING_OBLIGATION_FACTOR", RankingDefaults.obligationFactor, 0...10)
        options.answerTypeFactor = try number(
            "RANKING_ANSWER_TYPE_FACTOR", RankingDefaults.answerTypeFactor, 0...10)
        options.definitions = try environment.flag("RANKING_DEFINITIONS", default: RankingDefaults.definitions)
        options.provisions = try environment.flag("RANKING_PROVISIONS", default: RankingDefaults.provisions)
        options.expandDense = try environment.flag("RANKING_EXPAND_DENSE", default: RankingDefaults.expandDense)
        options.searchNamedDocuments = try environment.flag(
            "RANKING_SEARCH_NAMED", default: RankingDefaults.searchNamedDocuments)
        options.stripDocumentNames = try environment.flag(
            "RANKING_STRIP_NAMES", default: RankingDefaults.stripDocumentNames)
        options.feedbackTerms = Int(
            try number("RANKING_FEEDBACK_TERMS", Double(RankingDefaults.feedbackTerms), 0...50))
        let useVocabulary = try environment.flag("RANKING_VOCABULARY", default: RankingDefaults.vocabulary)
        let useNames = options.namedDocumentFactor != 1 || options.stripDocumentNames
        guard useVocabulary || useNames else { return options }
        guard let folder = dataDirectory(environment) else {
            warn("ranking data (corpus/ranking) not found; RANKING_DATA_DIR names it; vocabulary and names off")
            return options
        }
        func read(_ name: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            do {
                return try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw ConfigurationError(
                    variable: "RANKING_DATA_DIR", message: "cannot read \(url.path): \(error.localizedDescription)")
            }
        }
        if useVocabulary { options.vocabulary = QueryVocabulary(parsing: try read("vocabulary.tsv")) }
        if useNames { options.documentNames = DocumentNames(parsing: try read("documents.tsv")) }
        return options
    }

    /// `RANKING_DATA_DIR`, else the first `corpus/ranking` folder above the working directory or the executable.
    public static func dataDirectory(_ environment: EnvironmentValues) -> URL? {
        if let value = environment.text("RANKING_DATA_DIR") { return URL(fileURLWithPath: value) }
        var starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        return dataDirectory(searchingUpFrom: starts)
    }

    /// The first `corpus/ranking` holding `vocabulary.tsv` in or above each start, tried in order: a working
    /// directory outside the checkout must still fall through to the executable's checkout.
    public static func dataDirectory(searchingUpFrom starts: [URL]) -> URL? {
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
}

/// The settings kept after the experiments of docs/BENCHMARKS.md ("Governance ranking experiments").
public enum RankingDefaults {
    public static let fusionK = 60.0
    public static let denseWeight = 1.0
    public static let recitalFactor = 0.5
    public static let namedDocumentFactor = 3.0
    public static let obligationFactor = 2.0
    public static let answerTypeFactor = 1.5
    public static let vocabulary = true
    public static let provisionWeight = 0.0
    public static let definitions = true
    public static let provisions = true
    public static let expandDense = false
    public static let searchNamedDocuments = false
    public static let feedbackTerms = 0
    public static let windowShare = 0.5
    public static let stripDocumentNames = true
}
