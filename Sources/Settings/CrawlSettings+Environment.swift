import Origins

extension CrawlSettings {
    /// The crawl settings of the environment, by the old platform's names (README, "Origins"): `CRAWL_MAX_DEPTH`
    /// (0-20, default 2), `CRAWL_MAX_PAGES_PER_RUN` (1-100,000, default 50), `CRAWL_TIMEOUT_SECONDS` (1-600,
    /// default 30), `CRAWL_RETRY_ATTEMPTS` (0-10, default 2), `CRAWL_DELAY_BETWEEN_REQUESTS` (seconds, 0-60, default
    /// 1), `CRAWL_RESPECT_ROBOTS_TXT` (default true), `CRAWL_USER_AGENT`, `CRAWL_ALLOWED_PATHS` and
    /// `CRAWL_EXCLUDED_PATHS` (comma-separated regular expressions), `CRAWL_ALLOW_HOSTS` (comma-separated `host` or
    /// `host:port` the SSRF guard lets through), `CRAWL_MAX_PAGE_BYTES`, `CRAWL_MAX_JOB_BYTES`,
    /// `CRAWL_MAX_JOB_SECONDS`, `CRAWL_SCHEDULER_INTERVAL_SECONDS` (0 turns the scheduler off; default 30),
    /// `ENABLE_TOPIC_FILTERING` (default false), `POLICY_KEYWORD_THRESHOLD` (0-1, default 0.3),
    /// `ENABLE_PRIORITY_QUEUE` (default false). Throws ``ConfigurationError`` naming the first unusable one.
    public init(_ environment: EnvironmentValues) throws {
        self.init()
        maxDepth = try environment.integer("CRAWL_MAX_DEPTH", default: maxDepth, range: 0...20)
        maxPagesPerRun = try environment.integer("CRAWL_MAX_PAGES_PER_RUN", default: maxPagesPerRun, range: 1...100_000)
        timeout = .seconds(try environment.integer("CRAWL_TIMEOUT_SECONDS", default: 30, range: 1...600))
        retryAttempts = try environment.integer("CRAWL_RETRY_ATTEMPTS", default: retryAttempts, range: 0...10)
        delayBetweenRequests = .milliseconds(
            Int64(try environment.number("CRAWL_DELAY_BETWEEN_REQUESTS", default: 1, range: 0...60) * 1000))
        respectRobotsTxt = try environment.flag("CRAWL_RESPECT_ROBOTS_TXT", default: true)
        if let agent = environment.text("CRAWL_USER_AGENT") {
            guard agent.utf8.count <= 256, agent.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) else {
                throw ConfigurationError(
                    variable: "CRAWL_USER_AGENT", message: "must be printable ASCII, 256 bytes at most")
            }
            userAgent = agent
        }
        func list(_ name: String) -> [String] {
            (environment.text(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        allowedPaths = list("CRAWL_ALLOWED_PATHS")
        excludedPaths = list("CRAWL_EXCLUDED_PATHS")
        for (name, patterns) in [("CRAWL_ALLOWED_PATHS", allowedPaths), ("CRAWL_EXCLUDED_PATHS", excludedPaths)] {
            for pattern in patterns where (try? Regex(pattern)) == nil {
                throw ConfigurationError(variable: name, message: "holds an invalid regular expression: \(pattern)")
            }
        }
        allowHosts = list("CRAWL_ALLOW_HOSTS")
        maxPageBytes = try environment.integer("CRAWL_MAX_PAGE_BYTES", default: maxPageBytes, range: 1024...(1 << 30))
        maxJobBytes = try environment.integer("CRAWL_MAX_JOB_BYTES", default: maxJobBytes, range: 1024...(1 << 40))
        maxJobDuration = .seconds(try environment.integer("CRAWL_MAX_JOB_SECONDS", default: 1800, range: 10...86_400))
        topicFiltering = try environment.flag("ENABLE_TOPIC_FILTERING", default: false)
        policyKeywordThreshold = try environment.number("POLICY_KEYWORD_THRESHOLD", default: 0.3, range: 0...1)
        priorityQueue = try environment.flag("ENABLE_PRIORITY_QUEUE", default: false)
        let interval = try environment.integer("CRAWL_SCHEDULER_INTERVAL_SECONDS", default: 30, range: 0...86_400)
        schedulerInterval = interval == 0 ? nil : .seconds(interval)
    }
}
