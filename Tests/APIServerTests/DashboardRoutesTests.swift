import AigovTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import APIServer

/// The dashboard's origins, documents and settings (issue 17) over two applications sharing one store, as two
/// replicas share one database: a setting changed through one applies to a crawl started through the other.
@Suite struct DashboardRoutesTests {
    func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func settingsChangedOnOneReplicaApplyToACrawlOnAnother() async throws {
        let site = try await offThePool {
            try PythonPeer.start(script: "crawl_test_site.py", failure: "the crawl test site did not start")
        }
        defer { site.stop() }
        let library = try await TestLibrary.make()
        let admin = try await library.token(for: library.admin)
        let variables = [
            "CRAWL_ALLOW_HOSTS": "127.0.0.1:\(site.port)", "CRAWL_DELAY_BETWEEN_REQUESTS": "0",
            "CRAWL_MAX_PAGES_PER_RUN": "20",
        ]
        let replicaA = try await library.application(try TestLibrary.configuration(variables))
        let replicaB = try await library.application(try TestLibrary.configuration(variables))

        let originID = try await replicaA.test(.router) { client in
            let before = try object(try await client.send(.get, "/api/admin/dashboard/settings", token: admin))
            #expect((before["settings"] as? [String: Any])?["crawl_max_pages_per_run"] as? Int == 20)
            #expect((before["sources"] as? [String: String])?["crawl_max_pages_per_run"] == "environment")
            let changed = try object(
                try await client.send(
                    .put, "/api/admin/dashboard/settings",
                    body: #"{"crawl_max_pages_per_run": 2, "crawl_respect_robots_txt": false}"#, token: admin))
            #expect((changed["sources"] as? [String: String])?["crawl_max_pages_per_run"] == "store")
            let refused = try await client.send(
                .put, "/api/admin/dashboard/settings", body: #"{"crawl_allow_hosts": "10.0.0.1"}"#, token: admin)
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("crawl_allow_hosts"))
            let created = try object(
                try await client.send(
                    .post, "/api/admin/origins",
                    body: #"{"name": "Topics", "url": "http://127.0.0.1:\#(site.port)/topics", "max_depth": 1}"#,
                    token: admin))
            return try #require(created["id"] as? Int)
        }

        try await replicaB.test(.router) { client in
            let settings = try object(try await client.send(.get, "/api/admin/dashboard/settings", token: admin))
            #expect((settings["settings"] as? [String: Any])?["crawl_max_pages_per_run"] as? Int == 2)
            let config = try object(
                try await client.send(.get, "/api/admin/dashboard/origins/\(originID)/config", token: admin))
            let fields = try #require(config["config"] as? [String: [String: Any]])
            #expect(
                fields["max_pages"]?["value"] as? Int == 2 && fields["max_pages"]?["source"] as? String == "settings")
            #expect(fields["max_depth"]?["value"] as? Int == 1 && fields["max_depth"]?["source"] as? String == "origin")

            let accepted = try object(
                try await client.send(.post, "/api/admin/origins/\(originID)/crawl", token: admin))
            let jobID = try #require(accepted["job_id"] as? String)
            var job: [String: Any] = [:]
            for _ in 0..<600 {
                job = try object(try await client.send(.get, "/api/admin/dashboard/jobs/\(jobID)", token: admin))
                if ["completed", "failed", "cancelled"].contains(job["status"] as? String ?? "") { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            // The stored budget of two pages held, and robots.txt (turned off) was not asked for.
            #expect(job["status"] as? String == "completed" && job["pages_attempted"] as? Int == 2, "\(job)")
            #expect(job["relevance_ratio"] as? Double == 1 && job["pages_irrelevant"] as? Int == 0, "\(job)")

            let origins = try object(try await client.send(.get, "/api/admin/dashboard/origins?limit=1", token: admin))
            #expect(origins["total"] as? Int == 1)
            let summary = try #require((origins["origins"] as? [[String: Any]])?.first)
            #expect(summary["documents"] as? Int == 2 && summary["success_rate"] as? Double == 1, "\(summary)")
            #expect((summary["last_job"] as? [String: Any])?["job_id"] as? String == jobID)
            #expect(summary["recent_jobs"] == nil)
            let detail = try object(
                try await client.send(.get, "/api/admin/dashboard/origins/\(originID)", token: admin))
            #expect((detail["recent_jobs"] as? [[String: Any]])?.count == 1 && detail["jobs_considered"] as? Int == 1)

            // The documents of the origin: total before paging, each with its origin and, in detail, its crawl.
            let documents = try object(
                try await client.send(
                    .get, "/api/admin/dashboard/documents?origin_id=\(originID)&limit=1", token: admin))
            #expect(documents["total"] as? Int == 2 && (documents["documents"] as? [Any])?.count == 1)
            let first = try #require((documents["documents"] as? [[String: Any]])?.first)
            #expect(first["origin_id"] as? Int == originID)
            let documentID = try #require(first["document_id"] as? String)
            let document = try object(
                try await client.send(.get, "/api/admin/dashboard/documents/\(documentID)", token: admin))
            #expect((document["chunks"] as? Int ?? 0) >= 1)
            #expect((document["crawl"] as? [String: Any])?["last_status"] as? Int == 200, "\(document)")
            let all = try object(try await client.send(.get, "/api/admin/dashboard/documents", token: admin))
            #expect(all["total"] as? Int == 3, "the executive order and the two pages")
            let order = try object(
                try await client.send(.get, "/api/admin/dashboard/documents/\(TestLibrary.eoDocumentID)", token: admin))
            #expect(order["origin_id"] is NSNull && order["crawl"] is NSNull)

            // Clearing the stored value brings the environment's back.
            let cleared = try object(
                try await client.send(
                    .put, "/api/admin/dashboard/settings", body: #"{"crawl_max_pages_per_run": null}"#, token: admin))
            #expect((cleared["settings"] as? [String: Any])?["crawl_max_pages_per_run"] as? Int == 20)
            #expect((cleared["sources"] as? [String: String])?["crawl_respect_robots_txt"] == "store")
        }
    }
}
