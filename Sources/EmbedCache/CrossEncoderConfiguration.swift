import Foundation

/// What turns a cross-encoder's logit into the score it reports (sentence-transformers' `activation_fn`).
public enum ScoreActivation: String, Sendable {
    /// `1 / (1 + e^-x)`: sentence-transformers CrossEncoder's default for a one-label model.
    case sigmoid
    /// The raw logit.
    case identity
    case tanh

    /// The score of `logit`.
    public func apply(_ logit: Float) -> Float {
        switch self {
        case .sigmoid: 1 / (1 + expf(-logit))
        case .identity: logit
        case .tanh: tanhf(logit)
        }
    }
}

/// The settings of a sentence-transformers CrossEncoder folder: a BERT encoder (``BertConfiguration``) with
/// a one-label sequence-classification head, read from `config.json` and `tokenizer_config.json`.
public struct CrossEncoderConfiguration: Sendable, Equatable {
    /// The encoder's hyper-parameters and tokenizer settings (lowercasing from `tokenizer_config.json`).
    public var bert: BertConfiguration
    /// The longest pair in tokens, special tokens included: `model_max_length` of `tokenizer_config.json`,
    /// else 512, never more than `max_position_embeddings`.
    public var maxLength: Int
    /// What `score` applies to the logit: `sentence_transformers.activation_fn` of `config.json` when given
    /// (Sigmoid, Identity or Tanh), else sigmoid, as CrossEncoder does for one label.
    public var activation: ScoreActivation

    /// Reads the configuration files of `directory`.
    ///
    /// - Throws: `EmbedError` `unsupportedModel` when `config.json` does not describe a
    ///   `BertForSequenceClassification` with exactly one label (a reranker's relevance logit), or names an
    ///   activation other than sigmoid, identity or tanh; the errors of ``BertConfiguration`` otherwise.
    public init(directory: URL) throws {
        bert = try BertConfiguration(directory: directory)
        let configURL = directory.appendingPathComponent("config.json")
        let json = Self.object(configURL) ?? [:]
        let architectures = json["architectures"] as? [String] ?? []
        guard architectures.contains("BertForSequenceClassification") else {
            throw EmbedError(
                .unsupportedModel,
                "\(configURL.path) has architectures \(architectures): expected BertForSequenceClassification "
                    + "(a cross-encoder with a classification head)")
        }
        // transformers writes id2label (num_labels is derived from it); its default is two labels.
        let labels = json["num_labels"] as? Int ?? (json["id2label"] as? [String: Any])?.count ?? 2
        guard labels == 1 else {
            throw EmbedError(
                .unsupportedModel,
                "\(configURL.path) has \(labels) labels: a reranker needs one relevance logit (num_labels 1)")
        }
        let settings = json["sentence_transformers"] as? [String: Any]
        let activationName =
            settings?["activation_fn"] as? String ?? json["sbert_ce_default_activation_function"] as? String
        switch activationName.map({ $0.split(separator: ".").last.map(String.init) ?? $0 }) {
        case nil, "Sigmoid": activation = .sigmoid
        case "Identity": activation = .identity
        case "Tanh": activation = .tanh
        case let other?:
            throw EmbedError(
                .unsupportedModel,
                "\(configURL.path): activation_fn \(other) is not supported (Sigmoid, Identity or Tanh)")
        }
        let tokenizerSettings = Self.object(directory.appendingPathComponent("tokenizer_config.json"))
        // Tokenizers without a limit store a huge float (1e30) here; only a real limit counts.
        let limit = (tokenizerSettings?["model_max_length"] as? NSNumber)?.doubleValue
        let declared = limit.flatMap { $0 >= 1 && $0 < 1e9 ? Int($0) : nil }
        maxLength = max(3, min(declared ?? 512, bert.maxPositions))
        bert.maxSequenceLength = maxLength
    }

    private static func object(_ url: URL) -> [String: Any]? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }
}
