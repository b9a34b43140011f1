import Foundation
import Store
import Testing

/// Origins in the store (issue 17): settings validated at the write, and the scheduler's lease.
@Suite struct OriginTests {
    static let draft = OriginDraft(
        url: "https://eur-lex.europa.eu/eli/reg/2024/1689/oj", name: "EU AI Act", source: "EUR-Lex",
        frequencyHours: 24, countryCode: "eu", topicTags: ["ai-act", " regulation "], crawlPriority: 8,
        allowedPathPatterns: ["^/eli/"], excludedPathPatterns: ["\\.zip$"],
        sitemapURL: "https://eur-lex.europa.eu/s.xml",
        maxDepth: 1, maxPages: 50)

    @Test(arguments: Engine.all) func createReadUpdateDelete(engine: Engine) async throws {
        try await withStore(engine) { store in
            let created = try await store.createOrigin(Self.draft)
            #expect(created.title == "EU AI Act" && created.countryCode == "EU" && created.crawlPriority == 8)
            #expect(created.topicTags == ["ai-act", "regulation"] && created.allowedPathPatterns == ["^/eli/"])
            #expect(created.maxDepth == 1 && created.maxPages == 50 && created.nextRun == nil && created.enabled)
            #expect(try await store.origin(id: created.id) == created)
            #expect(try await store.origins() == [created])

            var changed = Self.draft
            changed.enabled = false
            changed.maxPages = nil
            changed.excludedPathPatterns = []
            let updated = try await store.updateOrigin(id: created.id, changed)
            #expect(!updated.enabled && updated.maxPages == nil && updated.excludedPathPatterns.isEmpty)
            #expect(updated.id == created.id && updated.url == created.url)

            let taken = await storeErrorCode { _ = try await store.createOrigin(Self.draft) }
            #expect(taken == .conflict)
            #expect(await storeErrorCode { _ = try await store.updateOrigin(id: 9999, Self.draft) } == .notFound)
            try await store.deleteOrigin(id: created.id)
            #expect(try await store.origin(id: created.id) == nil)
            #expect(await storeErrorCode { try await store.deleteOrigin(id: created.id) } == .notFound)
        }
    }

    @Test(arguments: [
        ("url", OriginDraft(url: "ftp://example.org/")), ("url", OriginDraft(url: "/relative")),
        ("frequency_hours", OriginDraft(url: "https://a.example/", frequencyHours: 0)),
        ("crawl_priority", OriginDraft(url: "https://a.example/", crawlPriority: 11)),
        ("max_depth", OriginDraft(url: "https://a.example/", maxDepth: -1)),
        ("max_pages", OriginDraft(url: "https://a.example/", maxPages: 0)),
        ("country_code", OriginDraft(url: "https://a.example/", countryCode: "EUR")),
        ("allowed_path_patterns", OriginDraft(url: "https://a.example/", allowedPathPatterns: ["(unclosed"])),
        ("excluded_path_patterns", OriginDraft(url: "https://a.example/", excludedPathPatterns: ["[z-a]"])),
        ("sitemap_url", OriginDraft(url: "https://a.example/", sitemapURL: "javascript:alert(1)")),
        ("name", OriginDraft(url: "https://a.example/", name: "  ")),
    ])
    func aBadFieldIsRefusedAtTheWriteWithItsName(field: String, draft: OriginDraft) async throws {
        try await withStore(.sqlite) { store in
            do {
                _ = try await store.createOrigin(draft)
                Issue.record("\(field) was accepted")
            } catch let error as StoreError {
                #expect(error.code == .invalidInput && error.message.hasPrefix(field), "\(error.message)")
            }
            #expect(try await store.origins().isEmpty)
        }
    }

    @Test(arguments: Engine.all) func oneReplicaAtATimeRunsADueOrigin(engine: Engine) async throws {
        try await withStore(engine) { store in
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let low = try await store.createOrigin(OriginDraft(url: "https://low.example/", crawlPriority: 2))
            let high = try await store.createOrigin(OriginDraft(url: "https://high.example/", crawlPriority: 9))
            var disabled = OriginDraft(url: "https://off.example/")
            disabled.enabled = false
            _ = try await store.createOrigin(disabled)

            // New origins are due at once, the higher priority first; a held lease hides an origin from others.
            let first = try await store.claimDueOrigin(owner: "replica-a", now: start, lease: .seconds(60))
            #expect(first?.id == high.id)
            let second = try await store.claimDueOrigin(owner: "replica-b", now: start, lease: .seconds(60))
            #expect(second?.id == low.id)
            #expect(try await store.claimDueOrigin(owner: "replica-c", now: start, lease: .seconds(60)) == nil)

            // A finished run schedules the next one and frees the origin; only the holder may finish.
            let next = start.addingTimeInterval(24 * 3600)
            #expect(
                !(try await store.finishOriginRun(
                    id: high.id, owner: "replica-b", status: "completed", finishedAt: start, nextRun: next)))
            #expect(
                try await store.finishOriginRun(
                    id: high.id, owner: "replica-a", status: "completed", finishedAt: start, nextRun: next))
            let finished = try #require(try await store.origin(id: high.id))
            #expect(finished.lastStatus == "completed" && finished.nextRun == next && finished.lastFetchedAt == start)
            #expect(try await store.claimDueOrigin(owner: "replica-c", now: start, lease: .seconds(60)) == nil)
            #expect(try await store.claimDueOrigin(owner: "replica-c", now: next, lease: .seconds(60))?.id == high.id)

            // A replica that died mid-crawl stops renewing; once its lease ends another replica takes the origin.
            let later = start.addingTimeInterval(30)
            #expect(try await store.renewOriginLease(id: low.id, owner: "replica-b", now: later, lease: .seconds(60)))
            let expired = later.addingTimeInterval(61)
            #expect(
                !(try await store.renewOriginLease(id: low.id, owner: "replica-b", now: expired, lease: .seconds(60))))
            let taken = try await store.claimDueOrigin(owner: "replica-d", now: expired, lease: .seconds(60))
            #expect(taken?.id == low.id)
            #expect(
                !(try await store.finishOriginRun(
                    id: low.id, owner: "replica-b", status: "completed", finishedAt: expired, nextRun: next)))
        }
    }

    @Test(arguments: Engine.all) func concurrentClaimsNeverShareAnOrigin(engine: Engine) async throws {
        try await withStore(engine) { store in
            for number in 0..<6 { _ = try await store.createOrigin(OriginDraft(url: "https://s\(number).example/")) }
            let now = Date()
            let claimed = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for replica in 0..<10 {
                    group.addTask {
                        try await store.claimDueOrigin(owner: "replica-\(replica)", now: now, lease: .seconds(60))?.id
                    }
                }
                var ids: [Int64] = []
                for try await id in group { if let id { ids.append(id) } }
                return ids
            }
            #expect(claimed.count == 6 && Set(claimed).count == 6)
        }
    }
}
