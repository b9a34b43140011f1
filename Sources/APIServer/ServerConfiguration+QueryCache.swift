import Foundation

extension ServerConfiguration {
    /// The default of `QUERY_CACHE_MB`.
    public static let defaultQueryCacheMegabytes = 16

    /// `QUERY_CACHE_MB`: the budget of the in-memory cache of question vectors, read apart from the rest so
    /// the command-line search (`aigov search`, `aigov ask`) sizes its cache the way `serve` does.
    ///
    /// - Throws: `ConfigurationError` when the value is not a whole number in 0...65536.
    public static func queryCacheMegabytes(variables: [String: String]) throws -> Int {
        guard let text = variables["QUERY_CACHE_MB"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return defaultQueryCacheMegabytes
        }
        guard let megabytes = Int(text), (0...65_536).contains(megabytes) else {
            throw ConfigurationError(variable: "QUERY_CACHE_MB", message: "must be a whole number in 0...65536")
        }
        return megabytes
    }
}
