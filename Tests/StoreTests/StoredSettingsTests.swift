import Foundation
import Store
import Testing

/// The dashboard's settings kept in the store (issue 17): set, replaced and cleared in one transaction, and read
/// the same through a second connection (another replica over the same database).
@Suite struct StoredSettingsTests {
    @Test(arguments: Engine.all) func settingsAreSetReplacedAndCleared(engine: Engine) async throws {
        try await withStore(engine) { store in
            #expect(try await store.platformSettings().isEmpty)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let first = try await store.savePlatformSettings(
                ["CRAWL_MAX_DEPTH": "3", "ENABLE_TOPIC_FILTERING": "true"], now: now)
            #expect(first == ["CRAWL_MAX_DEPTH": "3", "ENABLE_TOPIC_FILTERING": "true"])
            let second = try await store.savePlatformSettings(
                ["CRAWL_MAX_DEPTH": "5", "ENABLE_TOPIC_FILTERING": nil, "MIN_RESULTS": "2"], now: now + 1)
            #expect(second == ["CRAWL_MAX_DEPTH": "5", "MIN_RESULTS": "2"])
            #expect(try await store.platformSettings() == second)
            // Clearing a key that is not stored is no error.
            #expect(try await store.savePlatformSettings(["NOT_STORED": nil], now: now + 2) == second)
        }
    }
}
