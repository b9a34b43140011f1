import Foundation
import LiveWeb

extension LiveWebSettings {
    /// The live web fallback's settings of the environment (README, "Live web fallback"): `ENABLE_REALTIME_WEB`
    /// (default false), `MIN_RESULTS` (0-50, default 3), `MIN_SIMILARITY_THRESHOLD` (0-1, default 0.3),
    /// `REALTIME_WEB_MAX_SECONDS` (1-60, default 8), `REALTIME_WEB_MAX_PAGES` (1-10, default 3), and the provider:
    /// `REALTIME_WEB_PROVIDER` (`chat` or `custom_search`), `REALTIME_WEB_URL` (http or https), `REALTIME_WEB_API_KEY`,
    /// `REALTIME_WEB_MODEL` (required for `chat`), `REALTIME_WEB_CX` (the search engine id, for `custom_search`).
    public init(_ environment: EnvironmentValues) throws {
        self.init()
        enabled = try environment.flag("ENABLE_REALTIME_WEB", default: false)
        minResults = try environment.integer("MIN_RESULTS", default: minResults, range: 0...50)
        minSimilarity = try environment.number("MIN_SIMILARITY_THRESHOLD", default: minSimilarity, range: 0...1)
        maxDuration = .seconds(try environment.integer("REALTIME_WEB_MAX_SECONDS", default: 8, range: 1...60))
        maxPages = try environment.integer("REALTIME_WEB_MAX_PAGES", default: maxPages, range: 1...10)
        guard let kindText = environment.text("REALTIME_WEB_PROVIDER") else {
            if environment.text("REALTIME_WEB_URL") != nil {
                throw ConfigurationError(
                    variable: "REALTIME_WEB_PROVIDER",
                    message: "must be chat or custom_search when REALTIME_WEB_URL is set")
            }
            return
        }
        guard let kind = ProviderConfiguration.Kind(rawValue: kindText.lowercased()) else {
            throw ConfigurationError(variable: "REALTIME_WEB_PROVIDER", message: "must be chat or custom_search")
        }
        guard let text = environment.text("REALTIME_WEB_URL"), let url = URL(string: text),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else {
            throw ConfigurationError(variable: "REALTIME_WEB_URL", message: "must be an http or https URL")
        }
        let model = environment.text("REALTIME_WEB_MODEL")
        if kind == .chat, model == nil {
            throw ConfigurationError(variable: "REALTIME_WEB_MODEL", message: "names the chat model; required for chat")
        }
        provider = ProviderConfiguration(
            kind: kind, url: url, apiKey: environment.text("REALTIME_WEB_API_KEY"), model: model,
            searchEngineID: environment.text("REALTIME_WEB_CX"))
    }
}
