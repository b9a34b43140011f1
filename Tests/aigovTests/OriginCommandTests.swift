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
