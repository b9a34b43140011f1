import Foundation
import Hummingbird
import HummingbirdTesting
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
