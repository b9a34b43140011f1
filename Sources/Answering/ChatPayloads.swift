// The JSON shapes of OpenAI-compatible chat completions, as far as aigov reads them. Every field is optional
// because the servers differ: Groq sends `content: null` in the first delta and usage under `x_groq`,
// llama.cpp adds `timings` and a final `usage`, reasoning models add `reasoning` or `reasoning_content`
// deltas, which are not part of the answer and are not decoded at all.

/// The request body of `POST /chat/completions`.
struct ChatRequestBody: Encodable {
    var model: String
    var messages: [ChatMessage]
    var temperature: Double
    var maxCompletionTokens: Int
    /// Omitted when nil (the synthesized encoder skips nil optionals).
    var maxTokens: Int?
    var stream: Bool

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, stream
        case maxCompletionTokens = "max_completion_tokens"
        case maxTokens = "max_tokens"
    }
}

/// A streamed chunk or a whole completion: `delta` in chunks, `message` in whole completions.
struct ChatResponsePayload: Decodable {
    struct Choice: Decodable {
        var delta: Content?
        var message: Content?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case delta, message
            case finishReason = "finish_reason"
        }
    }

    struct Content: Decodable {
        var content: String?
    }

    struct GroqExtension: Decodable {
        var usage: UsagePayload?
        var error: UpstreamErrorPayload?
    }

    var choices: [Choice]?
    var usage: UsagePayload?
    var error: UpstreamErrorPayload?
    var xGroq: GroqExtension?

    enum CodingKeys: String, CodingKey {
        case choices, usage, error
        case xGroq = "x_groq"
    }

    /// The error the upstream embedded, top-level (OpenAI, llama.cpp) or under `x_groq` (Groq).
    var embeddedError: UpstreamErrorPayload? { error ?? xGroq?.error }
}

struct UsagePayload: Decodable {
    var promptTokens: Int?
    var completionTokens: Int?
    var totalTokens: Int?

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    var usage: ChatUsage {
        ChatUsage(promptTokens: promptTokens, completionTokens: completionTokens, totalTokens: totalTokens)
    }
}

/// An error object embedded in a response. Only its status code is kept: its message may echo the request
/// and is never logged or shown. Decodes from any JSON value (servers send objects, strings or numbers).
struct UpstreamErrorPayload: Decodable {
    var statusCode: Int?

    enum CodingKeys: String, CodingKey {
        case statusCode = "status_code"
        case code, status
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else { return }
        for key in [CodingKeys.statusCode, .code, .status] {
            if let value = try? container.decodeIfPresent(Int.self, forKey: key) {
                statusCode = value
                return
            }
        }
    }
}
