import Foundation
import Settings
import Testing

/// Where `serve`, `search` and `eval` find `corpus/ranking` when `RANKING_DATA_DIR` is not set.
@Suite struct RankingDataLookupTests {
    /// The checkout, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Run from a folder outside the checkout (a user's home, a script's temp folder), the lookup used to stop at
    /// the file system root of the working directory and never try the executable's checkout, so the vocabulary
    /// and document names were silently off and rankings differed by working directory.
    @Test func aWorkingDirectoryOutsideTheCheckoutFallsThroughToTheNextStart() throws {
        let outside = FileManager.default.temporaryDirectory
            .appendingPathComponent("aigov-ranking-lookup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        let insideCheckout = Self.root.appendingPathComponent("Sources/aigov")
        let found = RankingSettings.dataDirectory(searchingUpFrom: [outside, insideCheckout])
        let expected = Self.root.appendingPathComponent("corpus/ranking").standardizedFileURL
        #expect(found?.standardizedFileURL.path == expected.path)
    }

    @Test func noStartAboveAnyCheckoutFindsNothing() throws {
        let outside = FileManager.default.temporaryDirectory
            .appendingPathComponent("aigov-ranking-lookup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        #expect(RankingSettings.dataDirectory(searchingUpFrom: [outside]) == nil)
    }
}
