import AigovTestSupport
import Crawling
import Foundation
import Knowledge
import Origins
import Store
import Synchronization
import Testing

/// The crawl's optional behaviours (off by default, as in the old platform) and the settings a scheduler reads
/// before each crawl, on the test site's `/topics` hub: events, a recipe page with no policy words, an AI policy.
/// robots.txt is not read here, so its sitemap does not add the site's other pages.
@Suite struct CrawlOptionsTests {
    let site = CrawlRunTests()

    func settings(port: Int) -> CrawlSettings {
        var settings = site.settings(port: port)
        settings.respectRobotsTxt = false
        return settings
    }

    /// An origin at the hub; `run` tells origins of one test apart (an origin's URL is unique).
    func topicsOrigin(
        _ store: any MetadataStore, port: Int, maxPages: Int? = nil, run: Int = 1
    ) async throws -> Origin {
        try await store.createOrigin(
            OriginDraft(
                url: "http://127.0.0.1:\(port)/topics?run=\(run)", name: "Topics \(run)", maxDepth: 1,
                maxPages: maxPages))
    }

    @Test func theTopicFilterSetsAsideAPageWithoutPolicyWords() async throws {
        try await site.withSite { port, base in
            let store = base.store
            let origin = try await topicsOrigin(store, port: port)
            // Off (the default): every page is ingested, each document knows its origin.
            let plain = try #require(
                try await OriginScheduler(knowledgeBase: base, settings: settings(port: port), owner: "a")
                    .runDue().first)
            #expect(plain.counts.pagesSucceeded == 4 && plain.counts.pagesIrrelevant == 0, "\(plain.counts)")
            #expect(plain.counts.relevanceRatio == 1)
            let recipes = CrawlRun.documentID(forCanonicalURL: "http://127.0.0.1:\(port)/topics/recipes.html")
            #expect(try await store.document(id: recipes)?.metadata["origin_id"] == String(origin.id))

            // On, for a fresh origin over a fresh store: the recipe page and the events page are set aside.
            try await store.deleteOrigin(id: origin.id)
            try await base.deleteDocument(id: recipes)
            var filtering = settings(port: port)
            filtering.topicFiltering = true
            let second = try await topicsOrigin(store, port: port, run: 2)
            let filtered = try #require(
                try await OriginScheduler(knowledgeBase: base, settings: filtering, owner: "b").runDue().first)
            #expect(filtered.originID == second.id)
            // The hub has only the word "Topics"; events and recipes have no policy words; the AI policy page passes.
            #expect(filtered.counts.pagesIrrelevant == 3 && filtered.counts.pagesSucceeded == 1, "\(filtered.counts)")
            #expect(filtered.counts.relevanceRatio == 0.25)
            #expect(try await store.document(id: recipes) == nil)
            let policy = CrawlRun.documentID(forCanonicalURL: "http://127.0.0.1:\(port)/topics/ai-policy.html")
            #expect(try await store.document(id: policy)?.metadata["origin_id"] == String(second.id))
        }
    }

    @Test func thePriorityQueueSpendsTheBudgetOnPolicyPages() async throws {
        try await site.withSite { port, base in
            let store = base.store
            // A budget of two pages: the hub, then one of its three links.
            _ = try await topicsOrigin(store, port: port, maxPages: 2)
            var settings = settings(port: port)
            let breadthFirst = try #require(
                try await OriginScheduler(knowledgeBase: base, settings: settings, owner: "a").runDue().first)
            #expect(breadthFirst.counts.pagesAttempted == 2)
            let events = CrawlRun.documentID(forCanonicalURL: "http://127.0.0.1:\(port)/topics/news/events.html")
            let policy = CrawlRun.documentID(forCanonicalURL: "http://127.0.0.1:\(port)/topics/ai-policy.html")
            // In link order, the events page comes first.
            let eventsStored = try await store.document(id: events) != nil
            let policyStored = try await store.document(id: policy) != nil
            #expect(eventsStored && !policyStored)

            let other = try await topicsOrigin(store, port: port, maxPages: 2, run: 2)
            settings.priorityQueue = true
            let prioritised = try #require(
                try await OriginScheduler(knowledgeBase: base, settings: settings, owner: "b").runDue().first)
            #expect(prioritised.originID == other.id && prioritised.counts.pagesAttempted == 2)
            #expect(try await store.document(id: policy) != nil)
        }
    }

    @Test func theSchedulerReadsItsSettingsBeforeEachCrawl() async throws {
        try await site.withSite { port, base in
            let store = base.store
            _ = try await topicsOrigin(store, port: port)
            let current = Mutex(settings(port: port))
            let scheduler = OriginScheduler(
                knowledgeBase: base, settings: settings(port: port), owner: "a",
                settingsSource: { current.withLock { $0 } })
            current.withLock { $0.maxPagesPerRun = 1 }
            let first = try #require(try await scheduler.runDue().first)
            #expect(first.counts.pagesAttempted == 1, "\(first.counts)")
            // A source that fails leaves the scheduler's own settings.
            let failing = OriginScheduler(
                knowledgeBase: base, settings: settings(port: port), owner: "b",
                settingsSource: { throw CrawlError(.parseError, "unreadable") })
            _ = try await topicsOrigin(store, port: port, run: 2)
            let second = try #require(try await failing.runDue().first)
            #expect(second.counts.pagesAttempted == 4, "\(second.counts)")
        }
    }

    @Test func urlScoresFollowTheRules() {
        func score(_ path: String, depth: Int = 1) -> Int {
            URLPriority.score(URL(string: "https://example.org" + path)!, depth: depth)
        }
        #expect(score("/ai-policy.html") == 2)
        #expect(score("/docs/act.pdf") == 4)
        #expect(score("/news/events.html") == -4)
        #expect(score("/about.html") == -1)
        #expect(score("/about.html", depth: 3) == -3)
        #expect(score("/guidance?page=2") == 1)
    }

    @Test func relevanceCountsDistinctPhrases() {
        let filter = TopicFilter(threshold: 0.3, topicTags: ["quantum_widgets"])
        #expect(filter.relevance(title: "Recipes", text: "Lentil soup with onions.") == 0)
        // "regulation" (0.5) alone: 0.125, below the threshold however often it is repeated.
        #expect(filter.relevance(title: "", text: String(repeating: "regulation ", count: 50)) == 0.125)
        #expect(!filter.admits(title: "", text: String(repeating: "regulation ", count: 50)))
        // An origin's topic tag counts as a phrase of weight 1; words match whole, not inside others.
        #expect(filter.relevance(title: "Quantum widgets", text: "") == 0.25)
        #expect(filter.relevance(title: "", text: "antipolicy") == 0)
        #expect(filter.relevance(title: "", text: "AI Act, human oversight, transparency, personal data.") == 1)
    }
}
