import AigovTestSupport
import Foundation
import Testing

/// `aigov sync` as a user runs it, against the local Qdrant peer (Tests/Support/qdrant_local_server.py).
@Suite(.serialized) struct SyncCommandTests {
    struct PeerError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts the peer; returns its URL and a closer (closing its stdin stops it).
    static func startPeer() throws -> (url: String, stop: () -> Void) {
        let pythonPath = CLI.root.appendingPathComponent(".deps/qdrant-test").path
        guard FileManager.default.fileExists(atPath: pythonPath + "/qdrant_client") else {
            throw PeerError(
                description: "qdrant-client is not installed in \(pythonPath): run scripts/qdrant-test-setup")
        }
        let peer = try PythonPeer.start(
            script: "qdrant_local_server.py", environment: ["PYTHONPATH": pythonPath],
            failure: "the Qdrant peer did not start")
        return ("http://127.0.0.1:\(peer.port)", peer.stop)
    }

    @Test func syncPushesVerifiesAndFailsClearlyWhenQdrantIsDown() async throws {
        let (data, corpus) = try ServeCommandTests.workspace()
        let unset = try await ServeCommandTests.run(["sync", "--data-dir", data], environment: ["QDRANT_URL": ""])
        #expect(unset.status == 1 && unset.stderr.contains("QDRANT_URL is not set"))

        // Ingested while Qdrant is configured but down: the rows are queued, the sync fails and keeps them.
        let down = ["QDRANT_URL": "http://127.0.0.1:1", "QDRANT_API_KEY": "qk-SECRET-cli", "QDRANT_COLLECTION": "cli"]
        let ingest = try await ServeCommandTests.run(["ingest", "--data-dir", data, corpus], environment: down)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let failed = try await ServeCommandTests.run(["sync", "--data-dir", data, "--json"], environment: down)
        #expect(failed.status == 1)
        let failure = try #require(try JSONSerialization.jsonObject(with: Data(failed.stdout.utf8)) as? [String: Any])
        #expect((failure["error"] as? String)?.hasPrefix("qdrant_unavailable") == true)
        let pending = try #require(failure["pending"] as? Int)
        #expect(pending > 0)
        #expect(!failed.stdout.contains("qk-SECRET-cli") && !failed.stderr.contains("qk-SECRET-cli"))

        let peer = try Self.startPeer()
        defer { peer.stop() }
        let up = ["QDRANT_URL": peer.url, "QDRANT_COLLECTION": "cli"]
        let synced = try await ServeCommandTests.run(
            ["sync", "--data-dir", data, "--verify", "--json"], environment: up)
        #expect(synced.status == 0, "\(synced.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(synced.stdout.utf8)) as? [String: Any])
        #expect(report["entries"] as? Int == pending && report["pending"] as? Int == 0)
        let verify = try #require(report["verify"] as? [String: Any])
        #expect(verify["agrees"] as? Bool == true && verify["points"] as? Int == verify["stored_chunks"] as? Int)

        // --rebuild builds a new collection and moves the name to it; the old one is gone, the new one agrees.
        func target() async throws -> String? {
            let (_, aliases) = try await ServeCommandTests.get(peer.url + "/aliases")
            let list = (aliases["result"] as? [String: Any])?["aliases"] as? [[String: Any]] ?? []
            return list.first { $0["alias_name"] as? String == "cli" }?["collection_name"] as? String
        }
        let before = try #require(try await target())
        let rebuilt = try await ServeCommandTests.run(
            ["sync", "--data-dir", data, "--rebuild", "--verify", "--json"], environment: up)
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        let after = try #require(try JSONSerialization.jsonObject(with: Data(rebuilt.stdout.utf8)) as? [String: Any])
        let built = try #require(after["rebuilt"] as? [String: Any])
        let now = try await target()
        #expect(built["collection"] as? String == now && now != before)
        #expect(built["points"] as? Int == verify["stored_chunks"] as? Int)
        #expect((after["verify"] as? [String: Any])?["agrees"] as? Bool == true)
    }

    /// `aigov search` and `aigov ask` search where `serve` would: Qdrant's dense ranking with
    /// `RETRIEVAL_BACKEND=qdrant`, the local index when Qdrant is down (said on stderr) or not chosen.
    @Test func searchAndAskHonourTheRetrievalBackend() async throws {
        let (data, corpus) = try ServeCommandTests.workspace()
        let peer = try Self.startPeer()
        defer { peer.stop() }
        let up = ["QDRANT_URL": peer.url, "QDRANT_COLLECTION": "cli-search", "GROQ_API_KEY": "", "GROQ_BASE_URL": ""]
        #expect(try await ServeCommandTests.run(["ingest", "--data-dir", data, corpus], environment: up).status == 0)
        #expect(try await ServeCommandTests.run(["sync", "--data-dir", data], environment: up).status == 0)
        func queries() async throws -> Int {
            let (_, log) = try await ServeCommandTests.get(peer.url + "/__requests")
            let requests = log["requests"] as? [[String: Any]] ?? []
            // A hybrid collection answers a search with one batch request to the Query API.
            return requests.filter { ($0["path"] as? String)?.hasSuffix("/points/query/batch") == true }.count
        }
        let question = ["What does the order say about AI leadership?", "--top-k", "3", "--json"]

        let local = try await ServeCommandTests.run(["search", "--data-dir", data] + question, environment: up)
        #expect(local.status == 0, "\(local.stderr)")
        #expect(try await queries() == 0, "RETRIEVAL_BACKEND defaults to local")

        var qdrant = up
        qdrant["RETRIEVAL_BACKEND"] = "qdrant"
        let viaQdrant = try await ServeCommandTests.run(["search", "--data-dir", data] + question, environment: qdrant)
        #expect(viaQdrant.status == 0, "\(viaQdrant.stderr)")
        #expect(try await queries() == 1)
        let asked = try await ServeCommandTests.run(["ask", "--data-dir", data] + question, environment: qdrant)
        #expect(asked.status == 0, "\(asked.stderr)")
        #expect(try await queries() == 2)
        func ids(_ output: String, _ key: String) -> [String] {
            let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            return (object?[key] as? [[String: Any]] ?? []).compactMap { $0["chunk_id"] as? String }
        }
        #expect(ids(viaQdrant.stdout, "results").count == 3)
        #expect(Set(ids(viaQdrant.stdout, "results")) == Set(ids(local.stdout, "results")), "the same passages")
        #expect(Set(ids(asked.stdout, "citations")) == Set(ids(local.stdout, "results")))

        var down = qdrant
        down["QDRANT_URL"] = "http://127.0.0.1:1"
        let fallback = try await ServeCommandTests.run(["search", "--data-dir", data] + question, environment: down)
        #expect(fallback.status == 0 && fallback.stderr.contains("used the local index"), "\(fallback.stderr)")
        #expect(ids(fallback.stdout, "results") == ids(local.stdout, "results"))

        var unset = qdrant
        unset["QDRANT_URL"] = ""
        let refused = try await ServeCommandTests.run(["search", "--data-dir", data] + question, environment: unset)
        #expect(refused.status != 0 && refused.stderr.contains("RETRIEVAL_BACKEND"), "\(refused.stderr)")
    }
}
