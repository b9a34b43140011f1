import Foundation

/// The live web fallback's settings (issue 17; README, "Live web fallback"), by the old platform's names: off
/// unless `ENABLE_REALTIME_WEB` is true, and then used only for a query that asks for it (`use_web_fallback`) and
/// whose local retrieval is weak.
public struct LiveWebSettings: Sendable, Equatable {
    /// `ENABLE_REALTIME_WEB`.
    public var enabled = false
    /// `MIN_RESULTS`: local retrieval with fewer passages than this is weak.
    public var minResults = 3
    /// `MIN_SIMILARITY_THRESHOLD`: local retrieval whose best passage's cosine similarity to the question is below
    /// this is weak.
    public var minSimilarity = 0.3
    /// `REALTIME_WEB_MAX_SECONDS`: the whole fallback (search, fetches, scoring) gets at most this long.
    public var maxDuration: Duration = .seconds(8)
    /// `REALTIME_WEB_MAX_PAGES`: pages fetched at most.
    public var maxPages = 3
    /// `REALTIME_WEB_PROVIDER`, `REALTIME_WEB_URL`, `REALTIME_WEB_API_KEY`, `REALTIME_WEB_MODEL`,
    /// `REALTIME_WEB_CX`: where the URLs come from; nil when none is configured (then the fallback never runs).
    public var provider: ProviderConfiguration?

    public init() {}

    /// A search provider's address and credentials.
    public struct ProviderConfiguration: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable, CaseIterable {
            /// An OpenAI-compatible chat model with web access, asked for a JSON list of URLs.
            case chat
            /// A Google Custom Search JSON API-compatible endpoint (`items[].link`).
            case customSearch = "custom_search"
        }

        public var kind: Kind
        /// The chat API's base URL (`.../v1`) or the search endpoint itself.
        public var url: URL
        /// Sent as a bearer token (chat) or the `key` parameter (custom search); never logged.
        public var apiKey: String?
        /// The chat model's name.
        public var model: String?
        /// The custom search engine's id (`cx`).
        public var searchEngineID: String?

        public init(kind: Kind, url: URL, apiKey: String? = nil, model: String? = nil, searchEngineID: String? = nil) {
            self.kind = kind
            self.url = url
            self.apiKey = apiKey
            self.model = model
            self.searchEngineID = searchEngineID
        }
    }
}
