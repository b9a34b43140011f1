import AigovTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Origins
import Testing

@testable import APIServer

/// The origin routes (issue 17) as an admin uses them: create, read, change part of, delete; every bad field
/// refused with its name; a viewer kept out.
@Suite struct OriginRoutesTests {
    @Test func anAdminManagesOriginsAndEveryBadFieldIsNamed() async throws {
        let library = try await TestLibrary.make()
        let admin = try await library.token(for: library.admin)
        let viewer = try await library.token(for: library.viewer)
        try await library.application().test(.router) { client in
            func object(_ response: TestResponse) throws -> [String: Any] {
                try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            }
            let body = #"""
                {"name": "NIST AI RMF", "url": "https://www.nist.gov/itl/ai-risk-management-framework",
                 "frequency_hours": 168, "country_code": "us", "crawl_priority": 7, "topic_tags": ["nist", "rmf"],
                 "allowed_path_patterns": ["^/itl/"], "excluded_path_patterns": ["\\.zip$"], "max_depth": 1}
                """#
            let created = try await client.send(.post, "/api/admin/origins", body: body, token: admin)
            #expect(created.status == .created)
            let origin = try object(created)
            let id = try #require(origin["id"] as? Int)
            #expect(origin["name"] as? String == "NIST AI RMF" && origin["country_code"] as? String == "US")
            #expect(origin["next_run"] is NSNull && origin["last_run"] is NSNull && origin["max_pages"] is NSNull)

            // A partial update keeps what it does not name; null clears.
            let changed = try await client.send(
                .put, "/api/admin/origins/\(id)", body: #"{"enabled": false, "max_depth": null}"#, token: admin)
            #expect(changed.status == .ok)
            let after = try object(changed)
            #expect(after["enabled"] as? Bool == false && after["max_depth"] is NSNull)
            #expect(after["crawl_priority"] as? Int == 7 && after["topic_tags"] as? [String] == ["nist", "rmf"])

            let status = try object(try await client.send(.get, "/api/admin/origins/\(id)/status", token: admin))
            #expect(status["due"] as? Bool == false && status["enabled"] as? Bool == false)
            let list = try object(try await client.send(.get, "/api/admin/origins", token: admin))
            #expect(list["total"] as? Int == 1)

            let duplicate = try await client.send(.post, "/api/admin/origins", body: body, token: admin)
            #expect(duplicate.status == .conflict)
            for (field, bad) in [
                ("url", #"{"name": "x", "url": "file:///etc/passwd"}"#),
                ("name", #"{"url": "https://a.example/"}"#),
                ("frequency_hours", #"{"name": "x", "url": "https://a.example/", "frequency_hours": 0}"#),
                ("crawl_priority", #"{"name": "x", "url": "https://a.example/", "crawl_priority": 42}"#),
                (
                    "allowed_path_patterns",
                    #"{"name": "x", "url": "https://a.example/", "allowed_path_patterns": ["("]}"#
                ),
                ("colour", #"{"name": "x", "url": "https://a.example/", "colour": "red"}"#),
            ] {
                let refused = try await client.send(.post, "/api/admin/origins", body: bad, token: admin)
                #expect(refused.status == .unprocessableContent, "\(field)")
                #expect((try object(refused)["detail"] as? String)?.contains(field) == true, "\(field)")
            }
            #expect(try await client.send(.get, "/api/admin/origins", token: viewer).status == .forbidden)
            #expect(try await client.send(.get, "/api/admin/origins").status == .unauthorized)

            #expect(try await client.send(.delete, "/api/admin/origins/\(id)", token: admin).status == .ok)
            #expect(try await client.send(.delete, "/api/admin/origins/\(id)", token: admin).status == .notFound)
            #expect(try await client.send(.get, "/api/admin/origins/\(id)/status", token: admin).status == .notFound)
        }
    }
}

/// A crawl asked for through the API, followed on the dashboard until it ends (the test site on loopback).
@Suite struct CrawlRouteTests {
    @Test func aCrawlRunsInTheBackgroundAndTheDashboardFollowsIt() async throws {
        let site = try await offThePool {
            try PythonPeer.start(script: "crawl_test_site.py", failure: "the crawl test site did not start")
        }
        defer { site.stop() }
        let library = try await TestLibrary.make()
        let admin = try await library.token(for: library.admin)
        var settings = CrawlSettings()
        settings.allowHosts = ["127.0.0.1:\(site.port)"]
        settings.delayBetweenRequests = .zero
        let scheduler = OriginScheduler(knowledgeBase: library.knowledgeBase, settings: settings, owner: "test")
        try await library.application(scheduler: scheduler).test(.router) { client in
            func object(_ response: TestResponse) throws -> [String: Any] {
                try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            }
            let created = try object(
                try await client.send(
                    .post, "/api/admin/origins",
                    body: #"{"name": "Site", "url": "http://127.0.0.1:\#(site.port)/", "max_depth": 1}"#, token: admin))
            let id = try #require(created["id"] as? Int)
            let accepted = try await client.send(.post, "/api/admin/origins/\(id)/crawl", token: admin)
            #expect(accepted.status == .accepted)
            let jobID = try #require(try object(accepted)["job_id"] as? String)
            var job: [String: Any] = [:]
            for _ in 0..<600 {
                job = try object(try await client.send(.get, "/api/admin/dashboard/jobs/\(jobID)", token: admin))
                if ["completed", "failed", "cancelled"].contains(job["status"] as? String ?? "") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(job["status"] as? String == "completed", "\(job)")
            // Started without a PDF, the site serves an empty one: a page that fails to parse, classified as such.
            #expect(job["trigger"] as? String == "api" && job["pages_succeeded"] as? Int == 4, "\(job)")
            #expect(job["pages_failed"] as? Int == 1 && job["documents_added"] as? Int == 4, "\(job)")
            #expect(job["error_breakdown"] as? [String: Int] == ["PARSE_ERROR": 1, "ROBOTS_DISALLOWED": 1], "\(job)")
            let list = try object(
                try await client.send(.get, "/api/admin/dashboard/jobs?origin_id=\(id)", token: admin))
            #expect((list["jobs"] as? [[String: Any]])?.map { $0["job_id"] as? String } == [jobID])
            let status = try object(try await client.send(.get, "/api/admin/origins/\(id)/status", token: admin))
            #expect(status["last_status"] as? String == "completed" && status["due"] as? Bool == false)

            // The overview and today's entry of the time series count the crawl.
            let overview = try object(try await client.send(.get, "/api/admin/dashboard/overview", token: admin))
            #expect((overview["jobs_last_24h"] as? [String: Int])?["completed"] == 1, "\(overview)")
            #expect(
                overview["pages_attempted_last_24h"] as? Int == 5
                    && (overview["last_job"] as? [String: Any])?[
                        "job_id"] as? String == jobID
            )
            #expect((overview["origins"] as? [String: Int]) == ["total": 1, "enabled": 1, "due": 0])
            let series = try object(
                try await client.send(.get, "/api/admin/dashboard/overview/timeseries?days=3", token: admin))
            let days = try #require(series["days"] as? [[String: Any]])
            #expect(days.count == 3 && days.last?["jobs"] as? Int == 1 && days.last?["pages_succeeded"] as? Int == 4)
            #expect(days.first?["jobs"] as? Int == 0)

            // Deleting the origin with its documents removes the four pages it ingested, and nothing else.
            let before = try object(try await client.send(.get, "/api/admin/documents", token: admin))["total"] as? Int
            let bad = try await client.send(.delete, "/api/admin/origins/\(id)?delete_documents=maybe", token: admin)
            #expect(bad.status == .unprocessableContent)
            let deleted = try object(
                try await client.send(.delete, "/api/admin/origins/\(id)?delete_documents=true", token: admin))
            #expect(deleted["documents_removed"] as? Int == 4)
            let after = try object(try await client.send(.get, "/api/admin/documents", token: admin))["total"] as? Int
            #expect(before.map { $0 - 4 } == after)
        }
    }
}
