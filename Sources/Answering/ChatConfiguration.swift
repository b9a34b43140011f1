import Foundation

/// Where and how to ask an OpenAI-compatible chat completions endpoint (Groq, llama.cpp's `llama-server`,
/// vLLM, Ollama, OpenAI).
///
/// Its descriptions and mirror never show the API key, so logging a configuration is safe.
public struct ChatConfiguration: Sendable, Hashable {
    /// The API root, e.g. `https://api.groq.com/openai/v1` or `http://127.0.0.1:8080/v1`; requests go to
    /// `{baseURL}/chat/completions`.
    public var baseURL: String
    /// Sent as `Authorization: Bearer <key>` when set and not empty; local servers need none. Surrounding
    /// whitespace (a trailing newline from a secrets file) is trimmed.
    public var apiKey: String? {
        get { storedKey }
        set { storedKey = newValue?.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
    public var model: String
    /// `max_completion_tokens`: the upper bound of generated tokens (reasoning included, where counted).
    public var maxCompletionTokens: Int
    public var temperature: Double
    /// Whether to also send the older `max_tokens` with the same value. llama.cpp before February 2026 reads
    /// only `max_tokens`, and Groq, vLLM and Ollama accept both; but OpenAI's reasoning models reject a
    /// request naming `max_tokens` (400 `unsupported_parameter`), so the default is on except for
    /// `api.openai.com`.
    public var sendsLegacyMaxTokens: Bool
    /// The whole budget of one completion: connecting, retries and their waits, and reading the answer.
    public var timeout: Duration
    /// How long one attempt of a stream may wait for the first bytes of its body (the upstream queueing and
    /// reading the prompt). A non-streamed completion has only ``timeout``, since it sends nothing before it
    /// has finished.
    public var firstByteTimeout: Duration
    public var retry: RetryPolicy

    private var storedKey: String?

    /// A configuration with the defaults of ARCHITECTURE.md section 7 (temperature 0.2, 2 retries).
    public init(
        baseURL: String, apiKey: String? = nil, model: String, maxCompletionTokens: Int = 1024,
        temperature: Double = 0.2, sendsLegacyMaxTokens: Bool? = nil, timeout: Duration = .seconds(60),
        firstByteTimeout: Duration = .seconds(20), retry: RetryPolicy = RetryPolicy()
    ) {
        self.baseURL = baseURL
        self.model = model
        self.maxCompletionTokens = maxCompletionTokens
        self.temperature = temperature
        self.sendsLegacyMaxTokens =
            sendsLegacyMaxTokens ?? (URLComponents(string: baseURL)?.host?.lowercased() != "api.openai.com")
        self.timeout = timeout
        self.firstByteTimeout = firstByteTimeout
        self.retry = retry
        self.apiKey = apiKey
    }

    /// `{baseURL}/chat/completions`, or nil when the base URL is not an absolute http(s) URL with a host.
    var completionsURL: String? { endpoint("chat/completions") }

    /// `{baseURL}/models`, the listing both Groq and llama-server answer without spending tokens.
    var modelsURL: String? { endpoint("models") }

    private func endpoint(_ path: String) -> String? {
        var base = baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        guard let components = URLComponents(string: base),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        return base + "/" + path
    }

    /// The upstream's host, for log-safe messages.
    var hostForMessages: String { URLComponents(string: baseURL)?.host ?? "the upstream" }

    /// The bearer key, when one is configured.
    var bearerKey: String? { storedKey.flatMap { $0.isEmpty ? nil : $0 } }
}

extension ChatConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The configuration with the key shown only as present or absent.
    public var description: String {
        "ChatConfiguration(baseURL: \(baseURL), model: \(model), apiKey: \(bearerKey == nil ? "none" : "<redacted>"), "
            + "maxCompletionTokens: \(maxCompletionTokens), temperature: \(temperature))"
    }

    public var debugDescription: String { description }

    /// What `dump` and debuggers show: everything but the key.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "model": model, "apiKey": bearerKey == nil ? "none" : "<redacted>",
                "maxCompletionTokens": maxCompletionTokens, "temperature": temperature,
                "sendsLegacyMaxTokens": sendsLegacyMaxTokens, "timeout": timeout,
                "firstByteTimeout": firstByteTimeout, "retry": retry,
            ],
            displayStyle: .struct)
    }
}
