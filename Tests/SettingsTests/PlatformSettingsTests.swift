import LiveWeb
import Origins
import Settings
import Testing

/// The settings an admin changes at run time: laid over the environment, checked by the environment's own
/// parsers, and never the ones that guard the machine.
@Suite struct PlatformSettingsTests {
    @Test func storedValuesWinOverTheEnvironmentAndClearingBringsItBack() throws {
        let environment = EnvironmentValues(["CRAWL_MAX_DEPTH": "4", "MIN_RESULTS": "1"])
        let stored = ["CRAWL_MAX_DEPTH": "1", "ENABLE_TOPIC_FILTERING": "true", "CRAWL_ALLOW_HOSTS": "10.0.0.1"]
        let (crawl, live) = try PlatformSettings.resolve(environment, stored: stored)
        #expect(crawl.maxDepth == 1 && crawl.topicFiltering && live.minResults == 1)
        // A stored key that is not a run-time setting is ignored: the SSRF allow-list comes from the environment only.
        #expect(crawl.allowHosts.isEmpty)
        let effective = try PlatformSettings.effective(environment, stored: stored)
        let byKey = Dictionary(uniqueKeysWithValues: effective.map { ($0.key, ($0.value, $0.origin)) })
        #expect(byKey["crawl_max_depth"]?.0 == .number(1) && byKey["crawl_max_depth"]?.1 == "store")
        #expect(byKey["min_results"]?.0 == .number(1) && byKey["min_results"]?.1 == "environment")
        #expect(byKey["crawl_retry_attempts"]?.0 == .number(2) && byKey["crawl_retry_attempts"]?.1 == "default")
        #expect(byKey["crawl_allow_hosts"] == nil && effective.count == PlatformSettings.definitions.count)
        #expect(try PlatformSettings.resolve(environment, stored: [:]).crawl.maxDepth == 4)
    }

    @Test func changesAreCheckedAndNamed() throws {
        let environment = EnvironmentValues([:])
        let changes = try PlatformSettings.changes(
            [
                "crawl_max_depth": .number(3), "enable_priority_queue": .bool(true), "policy_keyword_threshold": .null,
                "crawl_excluded_paths": .strings(["\\.zip$", "^/private"]),
            ], environment: environment, stored: ["POLICY_KEYWORD_THRESHOLD": "0.5"])
        #expect(changes["CRAWL_MAX_DEPTH"] == .some("3") && changes["ENABLE_PRIORITY_QUEUE"] == .some("true"))
        #expect(changes["POLICY_KEYWORD_THRESHOLD"] == .some(nil))
        #expect(changes["CRAWL_EXCLUDED_PATHS"] == .some("\\.zip$,^/private"))

        func refusal(_ request: [String: SettingValue]) -> ConfigurationError? {
            do {
                _ = try PlatformSettings.changes(request, environment: environment, stored: [:])
                return nil
            } catch let error as ConfigurationError {
                return error
            } catch {
                return nil
            }
        }
        #expect(refusal(["crawl_allow_hosts": .string("169.254.169.254")])?.variable == "crawl_allow_hosts")
        #expect(refusal(["crawl_max_depth": .number(99)])?.variable == "crawl_max_depth")
        #expect(refusal(["crawl_max_depth": .number(2.5)])?.message == "must be a whole number")
        #expect(refusal(["enable_realtime_web": .string("yes")])?.message == "must be true or false")
        #expect(refusal(["crawl_allowed_paths": .strings(["(unclosed"])])?.variable == "crawl_allowed_paths")
        #expect(refusal(["min_similarity_threshold": .number(1.5)])?.variable == "min_similarity_threshold")
    }

    @Test func theLiveWebSettingsAndTheirProvider() throws {
        let defaults = try LiveWebSettings(EnvironmentValues([:]))
        #expect(!defaults.enabled && defaults.provider == nil && defaults.minResults == 3 && defaults.maxPages == 3)
        let chat = try LiveWebSettings(
            EnvironmentValues([
                "ENABLE_REALTIME_WEB": "true", "REALTIME_WEB_PROVIDER": "chat",
                "REALTIME_WEB_URL": "https://x.example/v1",
                "REALTIME_WEB_MODEL": "online", "REALTIME_WEB_API_KEY": "k", "REALTIME_WEB_MAX_SECONDS": "5",
            ]))
        #expect(chat.enabled && chat.provider?.kind == .chat && chat.provider?.model == "online")
        #expect(chat.maxDuration == .seconds(5))
        func refusal(_ variables: [String: String]) -> String? {
            do {
                _ = try LiveWebSettings(EnvironmentValues(variables))
                return nil
            } catch let error as ConfigurationError {
                return error.variable
            } catch {
                return nil
            }
        }
        #expect(refusal(["REALTIME_WEB_URL": "https://x.example"]) == "REALTIME_WEB_PROVIDER")
        #expect(refusal(["REALTIME_WEB_PROVIDER": "bing", "REALTIME_WEB_URL": "https://x"]) == "REALTIME_WEB_PROVIDER")
        #expect(refusal(["REALTIME_WEB_PROVIDER": "chat", "REALTIME_WEB_URL": "ftp://x/v1"]) == "REALTIME_WEB_URL")
        #expect(refusal(["REALTIME_WEB_PROVIDER": "chat", "REALTIME_WEB_URL": "https://x/v1"]) == "REALTIME_WEB_MODEL")
        #expect(refusal(["REALTIME_WEB_MAX_PAGES": "11"]) == "REALTIME_WEB_MAX_PAGES")
    }
}
