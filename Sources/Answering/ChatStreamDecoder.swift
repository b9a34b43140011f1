import Foundation

/// Turns the events of a streamed chat completion into answer text, keeping the finish reason and usage.
///
/// Errors the upstream embeds in the stream (a top-level `error`, Groq's `x_groq.error`, an `event: error`)
/// become `llm_upstream_error`; their text is dropped, only a status code they carry is kept.
struct ChatStreamDecoder {
    /// `data: [DONE]` was seen.
    private(set) var isDone = false
    private(set) var finishReason: String?
    private(set) var usage: ChatUsage?

    /// Whether the stream said it was complete, by `[DONE]` or a finish reason.
    var isComplete: Bool { isDone || finishReason != nil }

    /// The answer text carried by `event` (often empty: role-only, reasoning and usage chunks carry none).
    mutating func consume(_ event: ServerSentEvent) throws(AnsweringError) -> String {
        if isDone { return "" }
        if event.event == "error" {
            throw Self.upstreamError(status: Self.decode(event.data)?.embeddedError?.statusCode)
        }
        let data = event.data.trimmingCharacters(in: .whitespacesAndNewlines)
        if data == "[DONE]" {
            isDone = true
            return ""
        }
        if data.isEmpty { return "" }
        guard let payload = Self.decode(data) else {
            throw AnsweringError(.llmBadResponse, "a stream event is not a JSON chat completion chunk")
        }
        if let error = payload.embeddedError { throw Self.upstreamError(status: error.statusCode) }
        if let reported = payload.usage ?? payload.xGroq?.usage { usage = reported.usage }
        var text = ""
        // `n` is never set, so only the first choice exists; a chunk with an empty `choices` carries usage only.
        if let choice = payload.choices?.first {
            text = choice.delta?.content ?? choice.message?.content ?? ""
            if let reason = choice.finishReason { finishReason = reason }
        }
        return text
    }

    static func decode(_ data: String) -> ChatResponsePayload? {
        try? JSONDecoder().decode(ChatResponsePayload.self, from: Data(data.utf8))
    }

    static func upstreamError(status: Int?) -> AnsweringError {
        let suffix = status.map { " (status \($0))" } ?? ""
        return AnsweringError(
            .llmUpstreamError, "the upstream reported an error inside the stream\(suffix)", httpStatus: status)
    }
}
