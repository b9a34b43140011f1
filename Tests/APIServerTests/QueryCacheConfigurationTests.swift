import Testing

@testable import APIServer

@Suite struct QueryCacheConfigurationTests {
    @Test func queryCacheMegabytesDefaultsTo16AndRefusesNonsense() throws {
        #expect(try ServerConfiguration(variables: [:]).queryCacheMegabytes == 16)
        #expect(try ServerConfiguration(variables: ["QUERY_CACHE_MB": " 64 "]).queryCacheMegabytes == 64)
        #expect(try ServerConfiguration.queryCacheMegabytes(variables: ["QUERY_CACHE_MB": "0"]) == 0)
        for bad in ["-1", "1.5", "lots", "65537"] {
            #expect(throws: ConfigurationError.self) {
                try ServerConfiguration(variables: ["QUERY_CACHE_MB": bad])
            }
        }
    }
}
