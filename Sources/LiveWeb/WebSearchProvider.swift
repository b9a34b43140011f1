import AsyncHTTPClient
import Foundation
import NIOCore

/// Where the live web fallback gets the addresses of pages to read for a question.
public protocol WebSearchProvider: Sendable {
    /// At most `limit` http(s) URLs for `question`, best first.
    func urls(for question: String, limit: Int, timeout: Duration) async throws(LiveWebError) -> [URL]
}

/// The provider a configuration names.
public func makeWebSearchProvider(_ configuration: LiveWebSettings.ProviderConfiguration) -> any WebSearchProvider {
    switch configuration.kind {
    case .chat: ChatSearchProvider(configuration: configuration)
    case .customSearch: CustomSearchProvider(configuration: configuration)
    }
}

/// Shared by the providers: one request, the reply's bytes or a ``LiveWebError`` without the upstream body.
enum ProviderRequest {
    static let maxReplyBytes = 1 << 20

    static func send(_ request: HTTPClientRequest, timeout: Duration) async throws(LiveWebError) -> Data {
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: TimeAmount(timeout))
            guard (200..<300).contains(Int(response.status.code)) else {
                throw LiveWebError(.providerUnavailable, "the search provider answered HTTP \(response.status.code)")
            }
            let body = try await response.body.collect(upTo: maxReplyBytes)
            return Data(body.readableBytesView)
        } catch let error as LiveWebError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw LiveWebError(.timeout, "the search provider did not answer in time")
        } catch {
            throw LiveWebError(.providerUnavailable, "the search provider could not be reached")
        }
    }

    /// The http(s) URLs among `candidates`, without repeats, at most `limit`.
    static func usable(_ candidates: [String], limit: Int) -> [URL] {
        var seen: Set<String> = []
        var urls: [URL] = []
        for candidate in candidates {
            let text = candidate.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", url.host != nil, seen.insert(text).inserted
            else { continue }
            urls.append(url)
            if urls.count == limit { break }
        }
        return urls
    }
}

/// An OpenAI-compatible chat model with web access (the old platform used one), asked for a JSON array of the
/// URLs of official pages that answer the question. The reply may wrap the array in a code fence or an object
/// (`{"urls": [...]}`); anything else is `PROVIDER_REPLY`.
public struct ChatSearchProvider: WebSearchProvider {
    public let configuration: LiveWebSettings.ProviderConfiguration

    public init(configuration: LiveWebSettings.ProviderConfiguration) { self.configuration = configuration }

    static let instruction = """
        You find official sources on AI governance. Reply with only a JSON array of up to %d URLs of web pages \
        (regulators, legislatures, standards bodies) that answer the user's question, most relevant first.
        """

    public func urls(for question: String, limit: Int, timeout: Duration) async throws(LiveWebError) -> [URL] {
        var request = HTTPClientRequest(url: configuration.url.appending(path: "chat/completions").absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let key = configuration.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let payload: [String: Any] = [
            "model": configuration.model ?? "",
            "temperature": 0,
            "messages": [
                ["role": "system", "content": String(format: Self.instruction, limit)],
                ["role": "user", "content": question],
            ],
        ]
        guard let body = try? JSONSerialization.data(withJSONObject: payload) else { return [] }
        request.body = .bytes(ByteBuffer(bytes: body))
        let reply = try await ProviderRequest.send(request, timeout: timeout)
        guard let object = try? JSONSerialization.jsonObject(with: reply) as? [String: Any],
            let choices = object["choices"] as? [[String: Any]],
            let message = choices.first?["message"] as? [String: Any],
            let content = message["content"] as? String
        else { throw LiveWebError(.providerReply, "the chat reply has no message") }
        guard let list = Self.urlList(in: content) else {
            throw LiveWebError(.providerReply, "the chat reply is not a JSON list of URLs")
        }
        return ProviderRequest.usable(list, limit: limit)
    }

    /// The strings of the JSON array in `content` (fenced or not), or of its object's `urls` member.
    static func urlList(in content: String) -> [String]? {
        var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("```") {
            text = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                .filter { !$0.hasPrefix("```") }.joined(separator: "\n")
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        else { return nil }
        if let list = value as? [Any] { return list.compactMap { $0 as? String } }
        if let object = value as? [String: Any], let list = object["urls"] as? [Any] {
            return list.compactMap { $0 as? String }
        }
        return nil
    }
}

/// A Google Custom Search JSON API-compatible endpoint: `GET url?key=&cx=&q=&num=`, the URLs from `items[].link`.
public struct CustomSearchProvider: WebSearchProvider {
    public let configuration: LiveWebSettings.ProviderConfiguration

    public init(configuration: LiveWebSettings.ProviderConfiguration) { self.configuration = configuration }

    public func urls(for question: String, limit: Int, timeout: Duration) async throws(LiveWebError) -> [URL] {
        guard var components = URLComponents(url: configuration.url, resolvingAgainstBaseURL: false) else {
            throw LiveWebError(.providerUnavailable, "the search provider's URL does not parse")
        }
        var items = components.queryItems ?? []
        if let key = configuration.apiKey { items.append(URLQueryItem(name: "key", value: key)) }
        if let engine = configuration.searchEngineID { items.append(URLQueryItem(name: "cx", value: engine)) }
        items.append(URLQueryItem(name: "q", value: question))
        items.append(URLQueryItem(name: "num", value: String(min(limit, 10))))
        components.queryItems = items
        guard let url = components.url else {
            throw LiveWebError(.providerUnavailable, "the search provider's URL does not parse")
        }
        let reply = try await ProviderRequest.send(HTTPClientRequest(url: url.absoluteString), timeout: timeout)
        guard let object = try? JSONSerialization.jsonObject(with: reply) as? [String: Any] else {
            throw LiveWebError(.providerReply, "the search reply is not a JSON object")
        }
        // No `items` is how the API says "nothing found".
        let links = (object["items"] as? [[String: Any]] ?? []).compactMap { $0["link"] as? String }
        return ProviderRequest.usable(links, limit: limit)
    }
}
