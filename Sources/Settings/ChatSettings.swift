import Answering

/// The chat model named by `GROQ_API_KEY`, `GROQ_BASE_URL` and `GROQ_MODEL` (the old platform's names).
public enum ChatSettings {
    public static let defaultBaseURL = "https://api.groq.com/openai/v1"
    public static let defaultModel = "openai/gpt-oss-20b"

    /// Configured when a key or a base URL is set (a local llama.cpp needs no key); nil means extractive answers
    /// only.
    public static func chat(_ environment: EnvironmentValues = EnvironmentValues()) -> ChatConfiguration? {
        let key = environment.text("GROQ_API_KEY")
        let base = environment.text("GROQ_BASE_URL")
        guard key != nil || base != nil else { return nil }
        return ChatConfiguration(
            baseURL: base ?? defaultBaseURL, apiKey: key, model: environment.text("GROQ_MODEL") ?? defaultModel)
    }
}
