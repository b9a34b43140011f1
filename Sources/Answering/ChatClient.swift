import AsyncHTTPClient
import ConcurrencySupport
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A client of an OpenAI-compatible `POST {baseURL}/chat/completions`, streamed (SSE) or not.
///
/// Each call has a total time budget (``ChatConfiguration/timeout``), streams a per-attempt first-byte timeout;
/// it retries as ``RetryPolicy`` says, and never retries once a streamed delta has reached the caller.
/// Cancelling the calling task cancels the HTTP request at once. Every failure is an ``AnsweringError`` whose
/// message is safe to log.
///
/// The `HTTPClient` belongs to whoever made it: pass one (and shut it down yourself), use the process-wide
/// ``sharedHTTPClient`` (the default, never shut down), or use ``withOwnedHTTPClient(configuration:isolation:_:)``
/// for a dedicated one that is shut down when the body returns.
public final class ChatClient: Sendable {
    /// What this client asks, and where.
    public let configuration: ChatConfiguration
    private let httpClient: HTTPClient
    private let url: String

    /// A client over `httpClient`. Throws `invalid_configuration` when the base URL is not an http(s) URL or
    /// the API key has characters an HTTP header cannot carry.
    public init(configuration: ChatConfiguration, httpClient: HTTPClient = sharedHTTPClient) throws(AnsweringError) {
        guard let url = configuration.completionsURL else {
            throw AnsweringError(.invalidConfiguration, "the chat base URL must be an absolute http or https URL")
        }
        if let key = configuration.bearerKey, !key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            throw AnsweringError(.invalidConfiguration, "the API key contains characters an HTTP header cannot carry")
        }
        self.configuration = configuration
        self.httpClient = httpClient
        self.url = url
    }

    /// The `HTTPClient` settings for a model upstream: redirects refused (a POST with a key has no business
    /// being redirected), a 10 s connect timeout, and failed connections not retried by the pool. The pool
    /// would otherwise keep retrying a refused connection until the request's deadline, so an LLM that is down
    /// would cost the whole budget instead of failing at once; ``RetryPolicy`` does the retrying.
    public static var httpConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// A process-wide `HTTPClient` with ``httpConfiguration``, never shut down (like `HTTPClient.shared`).
    public static let sharedHTTPClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: httpConfiguration)

    /// Runs `body` with a client over a dedicated `HTTPClient` (``httpConfiguration``) that is shut down when
    /// `body` returns or throws.
    public static func withOwnedHTTPClient<Result>(
        configuration: ChatConfiguration, isolation: isolated (any Actor)? = #isolation,
        _ body: (ChatClient) async throws -> Result
    ) async throws -> Result {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        let result: Result
        do {
            result = try await body(try ChatClient(configuration: configuration, httpClient: http))
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        return result
    }

    /// Whether the upstream answers and accepts the key, without spending tokens: one `GET {baseURL}/models`
    /// within `timeout`, not retried. Throws what a completion would (`llm_unavailable`, `llm_timeout`,
    /// `llm_unauthorized`, `llm_rate_limited`, `llm_upstream_error`); the body is read and dropped.
    public func probe(timeout: Duration = .seconds(3)) async throws(AnsweringError) {
        guard let modelsURL = configuration.modelsURL else {
            throw AnsweringError(.invalidConfiguration, "the chat base URL must be an absolute http or https URL")
        }
        let request = request(.GET, modelsURL, accept: "application/json")
        do {
            let response = try await httpClient.execute(request, deadline: Self.deadline(in: timeout))
            _ = try await response.body.collect(upTo: 4 * 1024 * 1024)
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else { throw httpFailure(status: status, headers: response.headers) }
        } catch let failure as AttemptFailure {
            throw failure.error
        } catch {
            throw transportFailure(error, phase: .requesting, delivered: Flag()).error
        }
    }

    /// A whole (non-streamed) completion of `messages`.
    public func completion(_ messages: [ChatMessage]) async throws(AnsweringError) -> ChatCompletion {
        try await run(messages, onDelta: nil)
    }

    /// Streams a completion of `messages`: `onDelta` receives each non-empty piece of answer text, in order,
    /// as it arrives; the returned completion holds them joined. Reasoning deltas are not answer text and are
    /// dropped.
    ///
    /// A failure after the first `onDelta` is thrown as is, without retrying: the caller keeps the text it
    /// has and decides what to do with it.
    public func streamCompletion(
        _ messages: [ChatMessage], onDelta: @escaping @Sendable (String) async -> Void
    ) async throws(AnsweringError) -> ChatCompletion {
        try await run(messages, onDelta: onDelta)
    }

    // MARK: Attempts and retries

    /// Why an attempt failed, and whether another may succeed.
    private typealias AttemptFailure = ConcurrencySupport.AttemptFailure<AnsweringError>

    /// A flag set once, read from another task.
    private final class Flag: Sendable {
        private let storage = Atomic<Bool>(false)
        func set() { storage.store(true, ordering: .releasing) }
        var isSet: Bool { storage.load(ordering: .acquiring) }
    }

    private static let clock = ContinuousClock()

    private func run(
        _ messages: [ChatMessage], onDelta: (@Sendable (String) async -> Void)?
    ) async throws(AnsweringError) -> ChatCompletion {
        let deadline = Self.clock.now + configuration.timeout
        let body: Data
        do {
            body = try JSONEncoder().encode(
                ChatRequestBody(
                    model: configuration.model, messages: messages, temperature: configuration.temperature,
                    maxCompletionTokens: configuration.maxCompletionTokens,
                    maxTokens: configuration.sendsLegacyMaxTokens ? configuration.maxCompletionTokens : nil,
                    stream: onDelta != nil))
        } catch {
            throw AnsweringError(.invalidConfiguration, "the chat request could not be encoded")
        }
        let delivered = Flag()
        let policy = configuration.retry
        return try await retrying(
            attempts: policy.maxRetries + 1, deadline: deadline,
            wait: { retry, retryAfter in
                policy.delay(beforeRetry: retry, retryAfter: retryAfter, jitter: Double.random(in: 0...1))
            },
            final: { error, attempts in
                attempts == 1
                    ? error
                    : AnsweringError(
                        error.code, error.message + " (\(attempts) attempts)", httpStatus: error.httpStatus)
            },
            cancelled: { _ in Self.cancelled },
            attempt: { (attempt: Int) async throws(AttemptFailure) -> ChatCompletion in
                if Task.isCancelled { throw .final(Self.cancelled) }
                guard Self.clock.now < deadline else {
                    throw .final(AnsweringError(.llmTimeout, "the time budget ran out before attempt \(attempt)"))
                }
                do throws(AttemptFailure) {
                    var completion = try await attemptOnce(
                        body: body, deadline: deadline, delivered: delivered, onDelta: onDelta)
                    completion.attempts = attempt
                    return completion
                } catch {
                    // Text the caller already has would be repeated by another attempt.
                    throw AttemptFailure(
                        error: error.error, retryable: error.retryable && !delivered.isSet, retryAfter: error.retryAfter
                    )
                }
            })
    }

    private static let cancelled = AnsweringError(.cancelled, "the chat request was cancelled")

    /// One request, raced against its first-byte timeout and the total deadline; losing the race cancels it.
    private func attemptOnce(
        body: Data, deadline: ContinuousClock.Instant, delivered: Flag, onDelta: (@Sendable (String) async -> Void)?
    ) async throws(AttemptFailure) -> ChatCompletion {
        let firstByteDeadline = min(Self.clock.now + configuration.firstByteTimeout, deadline)
        let started = Flag()
        // A whole completion sends nothing until it is finished: only the total budget applies to it.
        if onDelta == nil { started.set() }
        let host = configuration.hostForMessages
        do {
            return try await withThrowingTaskGroup(of: ChatCompletion?.self) { group in
                group.addTask {
                    try await self.exchange(
                        body: body, deadline: deadline, started: started, delivered: delivered, onDelta: onDelta)
                }
                group.addTask {
                    try await Task.sleep(until: firstByteDeadline, clock: Self.clock)
                    if !started.isSet {
                        throw AttemptFailure.final(
                            AnsweringError(.llmTimeout, "\(host) sent nothing within the first-byte timeout"))
                    }
                    try await Task.sleep(until: deadline, clock: Self.clock)
                    throw AttemptFailure.final(
                        AnsweringError(.llmTimeout, "\(host) did not finish within the time budget"))
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let result { return result }
                }
                throw AttemptFailure.final(AnsweringError(.llmBadResponse, "the request ended without a result"))
            }
        } catch let failure as AttemptFailure {
            throw failure
        } catch {
            if Task.isCancelled || error is CancellationError { throw .final(Self.cancelled) }
            throw .final(AnsweringError(.llmUnavailable, "the request to \(host) failed"))
        }
    }

    // MARK: One HTTP exchange

    /// Where a transport error happened, which decides its code.
    private enum Phase {
        case requesting, readingBody, streaming
    }

    private func exchange(
        body: Data, deadline: ContinuousClock.Instant, started: Flag, delivered: Flag,
        onDelta: (@Sendable (String) async -> Void)?
    ) async throws(AttemptFailure) -> ChatCompletion {
        var request = request(.POST, url, accept: onDelta == nil ? "application/json" : "text/event-stream")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(body)

        let response: HTTPClientResponse
        do {
            // AsyncHTTPClient's deadline stops guarding once the head arrives; the race in `attemptOnce` guards
            // the body too.
            response = try await httpClient.execute(
                request, deadline: Self.deadline(in: Self.clock.now.duration(to: deadline)))
        } catch {
            throw transportFailure(error, phase: .requesting, delivered: delivered)
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            started.set()
            // Read a little of the body so the connection can be reused, and drop it: upstream error bodies
            // may echo the request and are never logged.
            _ = try? await response.body.collect(upTo: 16 * 1024)
            throw httpFailure(status: status, headers: response.headers)
        }
        let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
        guard let onDelta, !contentType.hasPrefix("application/json") else {
            started.set()
            let completion = try await wholeCompletion(response, delivered: delivered)
            // A server that ignored `stream: true` still answered: hand the text over as one delta.
            if let onDelta, !completion.text.isEmpty {
                delivered.set()
                await onDelta(completion.text)
            }
            return completion
        }
        return try await streamedCompletion(response, started: started, delivered: delivered, onDelta: onDelta)
    }

    /// A request to the upstream with the headers every call sends (the key, when one is configured).
    private func request(_ method: HTTPMethod, _ url: String, accept: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: "aigov")
        if let key = configuration.bearerKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        return request
    }

    /// The NIO deadline `duration` from now (now, for a duration already past).
    private static func deadline(in duration: Duration) -> NIODeadline {
        let parts = duration.components
        return .now() + .nanoseconds(max(parts.seconds, 0) * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
    }

    private func wholeCompletion(
        _ response: HTTPClientResponse, delivered: Flag
    ) async throws(AttemptFailure) -> ChatCompletion {
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: 8 * 1024 * 1024)
        } catch is NIOTooManyBytesError {
            throw .final(AnsweringError(.llmBadResponse, "the completion is larger than 8 MiB"))
        } catch {
            throw transportFailure(error, phase: .readingBody, delivered: delivered)
        }
        guard let payload = ChatStreamDecoder.decode(String(buffer: buffer)) else {
            throw .final(AnsweringError(.llmBadResponse, "the completion is not a JSON chat completion"))
        }
        if let error = payload.embeddedError {
            throw AttemptFailure(
                error: ChatStreamDecoder.upstreamError(status: error.statusCode),
                retryable: error.statusCode.map(RetryPolicy.isRetryable(status:)) ?? false)
        }
        guard let choice = payload.choices?.first else {
            throw .final(AnsweringError(.llmBadResponse, "the completion has no choices"))
        }
        return ChatCompletion(
            text: choice.message?.content ?? choice.delta?.content ?? "", finishReason: choice.finishReason,
            usage: payload.usage?.usage ?? payload.xGroq?.usage?.usage, attempts: 1)
    }

    private func streamedCompletion(
        _ response: HTTPClientResponse, started: Flag, delivered: Flag, onDelta: @Sendable (String) async -> Void
    ) async throws(AttemptFailure) -> ChatCompletion {
        var parser = ServerSentEventParser()
        var decoder = ChatStreamDecoder()
        var text = ""
        do {
            reading: for try await buffer in response.body {
                if buffer.readableBytes > 0 { started.set() }
                for event in try parser.push(buffer.readableBytesView) {
                    let piece = try decoder.consume(event)
                    if !piece.isEmpty {
                        text += piece
                        delivered.set()
                        await onDelta(piece)
                    }
                    if decoder.isDone { break reading }
                }
            }
        } catch let error as AnsweringError {
            // An error the upstream reported in the stream may pass if it says it is transient.
            let retryable =
                error.code == .llmUpstreamError && (error.httpStatus.map(RetryPolicy.isRetryable(status:)) ?? true)
            throw AttemptFailure(error: error, retryable: retryable)
        } catch {
            throw transportFailure(error, phase: .streaming, delivered: delivered)
        }
        guard decoder.isComplete else {
            throw AttemptFailure(
                error: AnsweringError(
                    .llmStreamInterrupted, "the stream from \(configuration.hostForMessages) ended before completion"),
                retryable: true)
        }
        return ChatCompletion(text: text, finishReason: decoder.finishReason, usage: decoder.usage, attempts: 1)
    }

    // MARK: Failure mapping

    private func httpFailure(status: Int, headers: HTTPHeaders) -> AttemptFailure {
        let host = configuration.hostForMessages
        let retryAfter =
            headers.first(name: "retry-after-ms").flatMap(Double.init).map { Duration.milliseconds(Int64($0)) }
            ?? headers.first(name: "retry-after").flatMap { RetryPolicy.retryAfter($0) }
        switch status {
        case 401, 403:
            return .final(AnsweringError(.llmUnauthorized, "\(host) refused the credentials", httpStatus: status))
        case 429:
            return AttemptFailure(
                error: AnsweringError(.llmRateLimited, "\(host) answered 429 Too Many Requests", httpStatus: status),
                retryable: true, retryAfter: retryAfter)
        case _ where RetryPolicy.isRetryable(status: status):
            return AttemptFailure(
                error: AnsweringError(.llmUnavailable, "\(host) answered HTTP \(status)", httpStatus: status),
                retryable: true, retryAfter: retryAfter)
        default:
            return .final(
                AnsweringError(
                    .llmUpstreamError, "\(host) rejected the request with HTTP \(status)", httpStatus: status))
        }
    }

    /// Maps an error of the HTTP stack. Its description is never used: some quote header values.
    private func transportFailure(_ error: any Error, phase: Phase, delivered: Flag) -> AttemptFailure {
        let host = configuration.hostForMessages
        if Task.isCancelled || error is CancellationError || (error as? HTTPClientError) == .cancelled {
            return .final(Self.cancelled)
        }
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout {
                return .final(AnsweringError(.llmTimeout, "\(host) did not answer in time"))
            }
            if error == .invalidURL || error == .emptyHost || error == .emptyScheme {
                return .final(AnsweringError(.invalidConfiguration, "the chat URL is not usable"))
            }
        }
        switch phase {
        case .requesting:
            return AttemptFailure(error: AnsweringError(.llmUnavailable, "could not reach \(host)"), retryable: true)
        case .readingBody:
            return AttemptFailure(
                error: AnsweringError(.llmUnavailable, "the connection to \(host) broke off"), retryable: true)
        case .streaming:
            return AttemptFailure(
                error: AnsweringError(.llmStreamInterrupted, "the stream from \(host) broke off"),
                retryable: !delivered.isSet)
        }
    }
}

extension ConcurrencySupport.AttemptFailure where Failure == AnsweringError {
    /// A failure no retry can mend.
    fileprivate static func final(_ error: AnsweringError) -> Self { Self(error: error, retryable: false) }
}
