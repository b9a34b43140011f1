import Foundation
import Testing

/// `aigov ingest`, `search` and `index` as a user meets them: exit codes, messages and the JSON contract.
@Suite struct IngestCommandTests {
    static let order = "fixtures/governance/us-eo-14179_removing-barriers-american-ai-leadership_2025-01-23.md"

    @Test func aFolderWithABadFileIngestsTheRestAndReportsTheFailure() async throws {
        let data = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let inputs = URL(fileURLWithPath: data).appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: CLI.root.appendingPathComponent(Self.order), to: inputs.appendingPathComponent("order.md"))
        try Data([0x00, 0xFF, 0xFE, 0x01, 0x02]).write(to: inputs.appendingPathComponent("blob.bin"))
        try Data("notes.txt\n".utf8).write(to: inputs.appendingPathComponent(".aigovignore"))
        try Data("ignored".utf8).write(to: inputs.appendingPathComponent("notes.txt"))

        let run = try await CLI.run(["ingest", "--data-dir", data, "--json", inputs.path])
        #expect(run.status == 1, "a failed file makes the exit code 1")
        let summary = try #require(try CLI.objects(run.stdout).first)
        #expect(summary["documents_added"] as? Int == 1)
        #expect(summary["documents_failed"] as? Int == 1)
        let failures = summary["failures"] as? [[String: String]] ?? []
        #expect(failures.count == 1)
        #expect(failures.first?["path"]?.hasSuffix("blob.bin") == true)
        #expect(failures.first?["error"]?.hasPrefix("unsupported:") == true)
        for key in [
            "documents_updated", "documents_unchanged", "chunks_added", "chunks_removed", "chunks_embedded", "seconds",
        ] {
            #expect(summary[key] != nil, "\(key) missing")
        }
        #expect(run.stderr.contains("blob.bin: FAILED"))

        let search = try await CLI.run([
            "search", "--data-dir", data, "--json", "--mode", "lexical", "revocation of orders",
        ])
        #expect(search.status == 0, "\(search.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any]
        let first = try #require((object?["results"] as? [[String: Any]])?.first)
        #expect(first["document_id"] as? String == "order.md")
        #expect(first["document_source"] as? String == "order.md")
        #expect((first["section"] as? String)?.hasPrefix("Sec.") == true)
        #expect(first.keys.contains("page_start"), "null page fields are present, not omitted")

        let verify = try await CLI.run(["index", "verify", "--data-dir", data, "--json"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(try CLI.objects(verify.stdout).first?["ok"] as? Bool == true)
    }

    @Test func bm25StemmingIsOnByDefaultAndCanBeSwitchedOffWithoutReingest() async throws {
        let data = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let file = URL(fileURLWithPath: data).appendingPathComponent("notes.md")
        try Data("# Records\n\nThe controller keeps records of processing activities.\n".utf8).write(to: file)
        let ingest = try await CLI.run(["ingest", "--data-dir", data, file.path])
        #expect(ingest.status == 0, "\(ingest.stderr)")

        func lexicalHits(_ query: String, _ environment: [String: String]) async throws -> Int {
            let search = try await CLI.run(
                ["search", "--data-dir", data, "--json", "--mode", "lexical", query], environment: environment)
            #expect(search.status == 0, "\(search.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any]
            return (object?["results"] as? [[String: Any]])?.count ?? -1
        }
        // "processes" and "processing" share the stem "process"; unstemmed they share nothing.
        await #expect(try lexicalHits("processes", [:]) == 1)
        await #expect(try lexicalHits("processes", ["BM25_STEMMING": "false"]) == 0)
        await #expect(try lexicalHits("processing", ["BM25_STEMMING": "off"]) == 1)
        await #expect(try lexicalHits("processes", ["BM25_STEMMING": "TRUE"]) == 1)

        let bad = try await CLI.run(["search", "--data-dir", data, "records"], environment: ["BM25_STEMMING": "maybe"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("BM25_STEMMING: must be true or false"))
    }

    @Test func badArgumentsAreRefusedWithAMessage() async throws {
        let data = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let missing = try await CLI.run(["ingest", "--data-dir", data, "no/such/file.pdf"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no/such/file.pdf: no such file or directory"))

        let titled = try await CLI.run(["ingest", "--data-dir", data, "--title", "T", Self.order, "corpus/SOURCES.md"])
        #expect(titled.status == 1)
        #expect(titled.stderr.contains("--title, --id and --url name one document"))

        let topK = try await CLI.run(["search", "--data-dir", data, "--top-k", "0", "anything"])
        #expect(topK.status != 0)
        #expect(topK.stderr.contains("--top-k must be between 1 and 50"))

        let mode = try await CLI.run(["search", "--data-dir", data, "--mode", "fuzzy", "anything"])
        #expect(mode.status != 0)
        #expect(mode.stderr.contains("fuzzy"))

        let empty = try await CLI.run(["search", "--data-dir", data, "   "])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("empty"))
    }

    @Test func rebuildGivesAnIndexThatVerifies() async throws {
        let data = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try await CLI.run(["ingest", "--data-dir", data, Self.order]).status == 0)
        let rebuild = try await CLI.run(["index", "rebuild", "--data-dir", data, "--json"])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        let summary = try CLI.objects(rebuild.stdout).first
        #expect(summary?["records"] as? Int == 8)
        #expect(summary?["embedded"] as? Int == 0, "every vector comes from the cache")
        let verify = try await CLI.run(["index", "verify", "--data-dir", data, "--json"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(try CLI.objects(verify.stdout).first?["records"] as? Int == 8)
    }
}
