/// One message of an OpenAI-compatible chat request.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks.
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
}

/// Token counts the upstream reported (OpenAI's `usage`, Groq's `x_groq.usage`, llama.cpp's final `usage`).
public struct ChatUsage: Sendable, Hashable, Codable {
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var totalTokens: Int?

    public init(promptTokens: Int?, completionTokens: Int?, totalTokens: Int?) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
    }
}

/// A finished chat completion.
public struct ChatCompletion: Sendable, Hashable {
    /// The assistant's text (for a stream, every delivered delta joined).
    public var text: String
    /// `stop`, `length`, ... as the upstream said; nil when it did not say.
    public var finishReason: String?
    public var usage: ChatUsage?
    /// HTTP requests made, retries included.
    public var attempts: Int

    public init(text: String, finishReason: String?, usage: ChatUsage?, attempts: Int) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.attempts = attempts
    }
}
