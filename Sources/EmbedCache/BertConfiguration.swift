import Foundation

/// How token vectors become one sentence vector.
public enum Pooling: String, Sendable {
    /// The mean over all real tokens, `[CLS]` and `[SEP]` included (sentence-transformers' default).
    case mean
    /// The vector of the first token.
    case cls
}

/// The hyper-parameters of a BERT encoder and the sentence-transformers settings around it, read from a
/// model directory: `config.json`, and where present `sentence_bert_config.json`,
/// `1_Pooling/config.json` and `tokenizer_config.json`.
public struct BertConfiguration: Sendable, Equatable {
    public var hiddenSize: Int
    public var layers: Int
    public var heads: Int
    public var intermediateSize: Int
    public var vocabularySize: Int
    public var maxPositions: Int
    public var typeVocabularySize: Int
    public var layerNormEpsilon: Float
    /// `true` for the exact erf GELU (`gelu`), `false` for the tanh approximation (`gelu_new`).
    public var exactGELU: Bool
    /// The longest input in tokens, `[CLS]` and `[SEP]` included.
    public var maxSequenceLength: Int
    public var pooling: Pooling
    public var lowercase: Bool
    /// Normalise sentence vectors to unit length (sentence-transformers' `Normalize` module).
    public var normalize: Bool

    /// Reads the configuration files of `directory`.
    public init(directory: URL) throws {
        let configURL = directory.appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: configURL) else {
            throw EmbedError(.modelFileMissing, "cannot read \(configURL.path): expected a BERT config.json")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw EmbedError(.modelFileCorrupt, "\(configURL.path) is not a JSON object")
        }
        let modelType = json["model_type"] as? String ?? ""
        guard modelType == "bert" else {
            throw EmbedError(
                .unsupportedModel,
                "\(configURL.path) has model_type \"\(modelType)\": expected \"bert\" (a BERT-architecture encoder)")
        }
        func int(_ key: String, default value: Int? = nil) throws -> Int {
            if let v = json[key] as? Int, v > 0 { return v }
            if let value { return value }
            throw EmbedError(.modelFileCorrupt, "\(configURL.path) lacks a positive integer \(key)")
        }
        hiddenSize = try int("hidden_size")
        layers = try int("num_hidden_layers")
        heads = try int("num_attention_heads")
        intermediateSize = try int("intermediate_size")
        vocabularySize = try int("vocab_size")
        maxPositions = try int("max_position_embeddings", default: 512)
        typeVocabularySize = try int("type_vocab_size", default: 2)
        layerNormEpsilon = Float(json["layer_norm_eps"] as? Double ?? 1e-12)
        guard hiddenSize % heads == 0 else {
            throw EmbedError(
                .unsupportedModel, "\(configURL.path): hidden_size \(hiddenSize) is not a multiple of \(heads) heads")
        }
        let activation = json["hidden_act"] as? String ?? "gelu"
        switch activation {
        case "gelu": exactGELU = true
        case "gelu_new", "gelu_pytorch_tanh": exactGELU = false
        default:
            throw EmbedError(
                .unsupportedModel, "\(configURL.path): hidden_act \"\(activation)\" is not supported (gelu, gelu_new)")
        }
        if let position = json["position_embedding_type"] as? String, position != "absolute" {
            throw EmbedError(
                .unsupportedModel, "\(configURL.path): position_embedding_type \"\(position)\" is not supported")
        }

        let sentence = Self.optionalJSON(directory.appendingPathComponent("sentence_bert_config.json"))
        let poolingJSON = Self.optionalJSON(directory.appendingPathComponent("1_Pooling/config.json"))
        let tokenizerJSON = Self.optionalJSON(directory.appendingPathComponent("tokenizer_config.json"))
        let requested = sentence?["max_seq_length"] as? Int ?? min(maxPositions, 512)
        maxSequenceLength = max(2, min(requested, maxPositions))
        pooling = (poolingJSON?["pooling_mode_cls_token"] as? Bool ?? false) ? .cls : .mean
        lowercase = tokenizerJSON?["do_lower_case"] as? Bool ?? true
        let modules = Self.optionalJSONArray(directory.appendingPathComponent("modules.json"))
        normalize = modules.map { $0.contains { ($0["type"] as? String)?.hasSuffix("Normalize") ?? false } } ?? true
    }

    private static func optionalJSON(_ url: URL) -> [String: Any]? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    private static func optionalJSONArray(_ url: URL) -> [[String: Any]]? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    }
}
