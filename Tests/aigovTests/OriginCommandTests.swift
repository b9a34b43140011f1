import AigovTestSupport
import Foundation
import Testing

/// `aigov origins` as an admin uses it: the shipped origins imported disabled, enabled in one command, edited,
/// removed; bad values refused with the field named.
@Suite struct OriginCommandTests {
    @Test func theShippedOriginsImportDisabledAndEnableInOneCommand() async throws {
        let (data, _) = try ServeCommandTests.workspace()
        let file = CLI.root.appendingPathComponent("corpus/origins.json").path
        let shipped = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [[String: Any]])

        let imported = try await ServeCommandTests.run(["origins", "import", "--data-dir", data, file, "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains(#""added":\#(shipped.count)"#) && imported.stdout.contains(#""skipped":0"#))
        let again = try await ServeCommandTests.run(["origins", "import", "--data-dir", data, file, "--json"])
        #expect(again.stdout.contains(#""added":0"#) && again.stdout.contains(#""skipped":\#(shipped.count)"#))

        func list() async throws -> [[String: Any]] {
            let listed = try await ServeCommandTests.run(["origins", "list", "--data-dir", data, "--json"])
            #expect(listed.status == 0, "\(listed.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        }
        let origins = try await list()
        #expect(origins.count == shipped.count && origins.allSatisfy { $0["enabled"] as? Bool == false })
        #expect(origins.contains { $0["url"] as? String == "https://eur-lex.europa.eu/eli/reg/2024/1689/oj" })

        let enabled = try await ServeCommandTests.run(["origins", "enable", "--all", "--data-dir", data])
        #expect(enabled.status == 0, "\(enabled.stderr)")
        #expect(try await list().allSatisfy { $0["enabled"] as? Bool == true })
    }

    @Test func addUpdateShowRemoveAndRefuse() async throws {
        let (data, _) = try ServeCommandTests.workspace()
        let added = try await ServeCommandTests.run([
            "origins", "add", "--data-dir", data, "https://www.nist.gov/itl/ai-risk-management-framework", "--name",
            "NIST AI RMF", "--topic-tag", "nist", "--topic-tag", "rmf", "--allow-path", "^/itl/", "--max-depth", "1",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let origin = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        let id = try #require(origin["id"] as? Int)
        #expect(origin["topic_tags"] as? [String] == ["nist", "rmf"] && origin["enabled"] as? Bool == true)

        let updated = try await ServeCommandTests.run([
            "origins", "update", "--data-dir", data, String(id), "--max-pages", "25", "--crawl-priority", "9",
        ])
        #expect(updated.status == 0, "\(updated.stderr)")
        let shown = try await ServeCommandTests.run(["origins", "show", "--data-dir", data, String(id)])
        let after = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(
            after["max_pages"] as? Int == 25 && after["crawl_priority"] as? Int == 9 && after["max_depth"] as? Int == 1)

        let badPattern = try await ServeCommandTests.run([
            "origins", "add", "--data-dir", data, "https://a.example/", "--name", "A", "--exclude-path", "(",
        ])
        #expect(badPattern.status != 0 && badPattern.stderr.contains("excluded_path_patterns"), "\(badPattern.stderr)")
        let duplicate = try await ServeCommandTests.run([
            "origins", "add", "--data-dir", data, "https://www.nist.gov/itl/ai-risk-management-framework",
        ])
        #expect(duplicate.status != 0 && duplicate.stderr.contains("registered already"), "\(duplicate.stderr)")

        let badFile = try CLI.temporaryDirectory() + "/origins.json"
        try Data(#"[{"name": "x", "url": "https://x.example/", "colour": "red"}]"#.utf8).write(
            to: URL(fileURLWithPath: badFile))
        let refused = try await ServeCommandTests.run(["origins", "import", "--data-dir", data, badFile])
        #expect(refused.status != 0 && refused.stderr.contains("colour"), "\(refused.stderr)")

        #expect(try await ServeCommandTests.run(["origins", "remove", "--data-dir", data, String(id)]).status == 0)
        let gone = try await ServeCommandTests.run(["origins", "show", "--data-dir", data, String(id)])
        #expect(gone.status != 0 && gone.stderr.contains("no origin has id"))
    }
}

/// `aigov serve` runs due origins on its own and keeps their schedule across a restart.
@Suite struct OriginSchedulerServeTests {
    @Test func serveCrawlsANewOriginAtOnceAndTheScheduleSurvivesARestart() async throws {
        let site = try await offThePool {
            try PythonPeer.start(script: "crawl_test_site.py", failure: "the crawl test site did not start")
        }
        defer { site.stop() }
        let (data, _) = try ServeCommandTests.workspace()
        let added = try await ServeCommandTests.run([
            "origins", "add", "--data-dir", data, "http://127.0.0.1:\(site.port)/", "--name", "Site", "--max-depth",
            "0",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let environment = [
            "CRAWL_ALLOW_HOSTS": "127.0.0.1:\(site.port)", "CRAWL_SCHEDULER_INTERVAL_SECONDS": "1",
            "CRAWL_DELAY_BETWEEN_REQUESTS": "0",
        ]
        func origin() async throws -> [String: Any] {
            let shown = try await ServeCommandTests.run(["origins", "show", "--data-dir", data, "1"])
            return try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        }
        func homeHits() async throws -> Int {
            let (_, hits) = try await ServeCommandTests.get("http://127.0.0.1:\(site.port)/__hits")
            return hits["/"] as? Int ?? 0
        }
        let server = try await ServerProcess.start(data: data, environment: environment)
        var crawled: [String: Any] = [:]
        for _ in 0..<300 {
            crawled = try await origin()
            if crawled["last_status"] is String { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try await server.interruptAndWait() == 0)
        #expect(crawled["last_status"] as? String == "completed", "\(crawled) \((try? server.log()) ?? "")")
        let nextRun = try #require(crawled["next_run"] as? String)
        #expect(try await homeHits() == 1)

        // Restarted, the origin is not due (its next run is a day away): nothing is fetched again.
        let again = try await ServerProcess.start(data: data, environment: environment)
        try await Task.sleep(for: .seconds(3))
        #expect(try await again.interruptAndWait() == 0)
        #expect(try await origin()["next_run"] as? String == nextRun)
        #expect(try await homeHits() == 1)
    }
}

/// `aigov ingest URL`: one page through the SSRF guard, as a crawl would ingest it.
@Suite struct IngestURLTests {
    @Test func aPageIsFetchedThroughTheGuardAndIngestedOnce() async throws {
        let site = try await offThePool {
            try PythonPeer.start(script: "crawl_test_site.py", failure: "the crawl test site did not start")
        }
        defer { site.stop() }
        let (data, _) = try ServeCommandTests.workspace()
        let page = "http://127.0.0.1:\(site.port)/guidance/base.html"
        let allowed = ["CRAWL_ALLOW_HOSTS": "127.0.0.1:\(site.port)"]
        let first = try await ServeCommandTests.run(
            ["ingest", "--data-dir", data, page, "--json"], environment: allowed)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains(#""documents_added":1"#), "\(first.stdout)")
        let again = try await ServeCommandTests.run(
            ["ingest", "--data-dir", data, page, "--json"], environment: allowed)
        #expect(again.stdout.contains(#""documents_unchanged":1"#), "\(again.stdout)")
        let found = try await ServeCommandTests.run(
            ["search", "--data-dir", data, "guidance on transparency", "--json"], environment: allowed)
        #expect(found.stdout.contains(#""document_url":"\#(page)""#), "\(found.stdout)")

        // Without the allow-list the guard refuses loopback, and the run says so.
        let refused = try await ServeCommandTests.run(["ingest", "--data-dir", data, page, "--json"])
        #expect(refused.status == 1 && refused.stderr.contains("BLOCKED_ADDRESS"), "\(refused.stderr)")
        let missing = try await ServeCommandTests.run(
            ["ingest", "--data-dir", data, "http://127.0.0.1:\(site.port)/missing.html"], environment: allowed)
        #expect(missing.status == 1 && missing.stderr.contains("HTTP 404"), "\(missing.stderr)")
    }
}

/// Two `aigov serve` replicas over one PostgreSQL database: a due origin is crawled by one of them, once.
@Suite(.enabled(if: TestPostgres.enabled, "needs AIGOV_TEST_DATABASE_URL (scripts/postgres-test-cluster)"))
struct OriginReplicaTests {
    @Test func twoReplicasRunADueOriginOnce() async throws {
        let site = try await offThePool {
            try PythonPeer.start(script: "crawl_test_site.py", failure: "the crawl test site did not start")
        }
        defer { site.stop() }
        try await TestPostgres.withDatabase { url in
            let page = "/slow.html?s=2"
            let added = try await CLI.run(
                ["origins", "add", "http://127.0.0.1:\(site.port)\(page)", "--name", "Slow", "--max-depth", "0"],
                environment: ["DATABASE_URL": url])
            #expect(added.status == 0, "\(added.stderr)")
            let environment = [
                "DATABASE_URL": url, "CRAWL_ALLOW_HOSTS": "127.0.0.1:\(site.port)",
                "CRAWL_SCHEDULER_INTERVAL_SECONDS": "1", "CRAWL_DELAY_BETWEEN_REQUESTS": "0",
                "SECRET_KEY": UUID().uuidString + UUID().uuidString,
            ]
            let replicas = [
                try await ServerProcess.start(data: try ServeCommandTests.workspace().data, environment: environment),
                try await ServerProcess.start(data: try ServeCommandTests.workspace().data, environment: environment),
            ]
            // Both look for due origins every second while the one crawl (a page answering after 2 s) runs.
            var shown: [String: Any] = [:]
            for _ in 0..<100 {
                let result = try await CLI.run(["origins", "show", "1"], environment: ["DATABASE_URL": url])
                shown = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
                if shown["last_status"] is String { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            try await Task.sleep(for: .seconds(3))
            for replica in replicas { #expect(try await replica.interruptAndWait() == 0) }
            #expect(shown["last_status"] as? String == "completed", "\(shown)")
            let (_, hits) = try await ServeCommandTests.get("http://127.0.0.1:\(site.port)/__hits")
            #expect(hits[page] as? Int == 1, "\(hits)")
        }
    }
}
