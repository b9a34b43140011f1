import Origins
import Settings
import Testing

/// The `CRAWL_*` settings: the old platform's names, defaults, and a clear refusal naming the variable.
@Suite struct CrawlSettingsTests {
    @Test func namesDefaultsAndOverrides() throws {
        let defaults = try CrawlSettings(EnvironmentValues([:]))
        #expect(defaults == CrawlSettings())
        #expect(defaults.maxDepth == 2 && defaults.maxPagesPerRun == 50 && defaults.respectRobotsTxt)
        #expect(defaults.userAgent.hasPrefix("aigov/") && defaults.schedulerInterval == .seconds(30))

        let set = try CrawlSettings(
            EnvironmentValues([
                "CRAWL_MAX_DEPTH": "0", "CRAWL_MAX_PAGES_PER_RUN": "5", "CRAWL_TIMEOUT_SECONDS": "7",
                "CRAWL_RETRY_ATTEMPTS": "0", "CRAWL_DELAY_BETWEEN_REQUESTS": "0.25",
                "CRAWL_RESPECT_ROBOTS_TXT": "false",
                "CRAWL_USER_AGENT": "aigov-test/2", "CRAWL_ALLOWED_PATHS": "^/eli/, ^/legal-content/",
                "CRAWL_EXCLUDED_PATHS": "\\.zip$", "CRAWL_ALLOW_HOSTS": "127.0.0.1:8088,intranet.local",
                "CRAWL_SCHEDULER_INTERVAL_SECONDS": "0",
            ]))
        #expect(set.maxDepth == 0 && set.maxPagesPerRun == 5 && set.timeout == .seconds(7) && set.retryAttempts == 0)
        #expect(set.delayBetweenRequests == .milliseconds(250) && !set.respectRobotsTxt)
        #expect(set.userAgent == "aigov-test/2" && set.allowedPaths == ["^/eli/", "^/legal-content/"])
        #expect(set.excludedPaths == ["\\.zip$"] && set.allowHosts == ["127.0.0.1:8088", "intranet.local"])
        #expect(set.schedulerInterval == nil)
    }

    @Test(arguments: [
        ("CRAWL_MAX_DEPTH", "-1"), ("CRAWL_MAX_PAGES_PER_RUN", "0"), ("CRAWL_TIMEOUT_SECONDS", "many"),
        ("CRAWL_RESPECT_ROBOTS_TXT", "sometimes"), ("CRAWL_ALLOWED_PATHS", "("), ("CRAWL_USER_AGENT", "bot\u{7}"),
    ])
    func aBadValueIsRefusedNamingTheVariable(name: String, value: String) {
        do {
            _ = try CrawlSettings(EnvironmentValues([name: value]))
            Issue.record("\(name)=\(value) was accepted")
        } catch {
            #expect(String(describing: error).contains(name), "\(error)")
        }
    }
}
