import Answering
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import APIServer

@Suite(.serialized) struct ContentAdminTests {
    @Test func ingestUpdateListDetailDelete() async throws {
        let library = try await TestLibrary.shared()
        let token = try await library.token(for: library.admin)
        let id = "api-test-\(UUID().uuidString.prefix(8).lowercased())"
        try await library.application().test(.router) { client in
            let body = """
                {"title": "Model cards", "source": "Test suite", "url": "https://example.org/cards",
                 "document_id": "\(id)", "metadata": {"year": 2024, "draft": true, "lang": "en"},
                 "content": "# Model cards\\n\\n## Purpose\\n\\nA model card documents intended use, limitations and evaluation results of a zebra-striped model."}
                """
            let created = try await client.send(.post, "/api/content/ingest", body: body, token: token)
            #expect(created.status == .created)
            #expect(created.json["document_id"] as? String == id && created.json["status"] as? String == "added")
            #expect((created.json["chunks"] as? Int ?? 0) >= 1)
            let again = try await client.send(.post, "/api/content/ingest", body: body, token: token)
            #expect(again.status == .created && again.json["status"] as? String == "unchanged")

            let found = try await client.send(
                .post, "/api/search/retrieve",
                body: #"{"query": "zebra-striped model card", "mode": "lexical", "top_k": 1}"#)
            #expect((found.json["results"] as? [[String: Any]])?.first?["document_id"] as? String == id)

            let list = try await client.send(.get, "/api/admin/documents?limit=200", token: token)
            #expect(list.status == .ok)
            let documents = list.json["documents"] as? [[String: Any]] ?? []
            #expect(documents.contains { $0["document_id"] as? String == id })
            #expect((list.json["total"] as? Int ?? 0) >= 2)

            let detail = try await client.send(.get, "/api/admin/documents/\(id)", token: token)
            #expect(detail.status == .ok && detail.json["title"] as? String == "Model cards")
            #expect((detail.json["metadata"] as? [String: String])?["year"] == "2024")
            let chunks = detail.json["chunks"] as? [[String: Any]] ?? []
            #expect(!chunks.isEmpty && chunks[0]["chunk_index"] as? Int == 0)

            let deleted = try await client.send(.delete, "/api/admin/documents/\(id)", token: token)
            #expect(deleted.status == .ok && deleted.json["deleted"] as? Bool == true)
            let gone = try await client.send(.get, "/api/admin/documents/\(id)", token: token)
            #expect(gone.status == .notFound)
            let deletedTwice = try await client.send(.delete, "/api/admin/documents/\(id)", token: token)
            #expect(deletedTwice.status == .notFound)
        }
    }

    @Test func uploadMultipartFile() async throws {
        let library = try await TestLibrary.shared()
        let token = try await library.token(for: library.admin)
        let id = "upload-\(UUID().uuidString.prefix(8).lowercased())"
        let boundary = "----aigov-test-boundary"
        let text = "# Upload test\n\nThe quokka provision requires annual transparency reports.\n"
        let body = """
            --\(boundary)\r
            Content-Disposition: form-data; name="title"\r
            \r
            Quokka rules\r
            --\(boundary)\r
            Content-Disposition: form-data; name="document_id"\r
            \r
            \(id)\r
            --\(boundary)\r
            Content-Disposition: form-data; name="file"; filename="../../quokka.md"\r
            Content-Type: text/markdown\r
            \r
            \(text)\r
            --\(boundary)--\r

            """
        try await library.application().test(.router) { client in
            let response = try await client.send(
                .post, "/api/content/upload", body: body, contentType: "multipart/form-data; boundary=\(boundary)",
                token: token)
            #expect(response.status == .created, "\(response.text)")
            #expect(response.json["document_id"] as? String == id)
            let detail = try await client.send(.get, "/api/admin/documents/\(id)", token: token)
            #expect(detail.json["title"] as? String == "Quokka rules")
            #expect(detail.json["doc_type"] as? String == "markdown")
            _ = try await client.send(.delete, "/api/admin/documents/\(id)", token: token)
        }
    }

    @Test func uploadsARealPDF() async throws {
        let library = try await TestLibrary.shared()
        let token = try await library.token(for: library.admin)
        let id = "pdf-\(UUID().uuidString.prefix(8).lowercased())"
        // A tiny PDF made here, so the test does not embed a whole report.
        let pdf = TinyPDF.make(text: "Govern function: policies for AI risk management are in place.")
        let boundary = "pdfboundary42"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"document_id\"\r\n\r\n\(id)\r\n".utf8)
        body += Data(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tiny.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                .utf8)
        body += pdf + Data("\r\n--\(boundary)--\r\n".utf8)
        let upload = body
        try await library.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/content/upload", method: .post,
                headers: [
                    .contentType: "multipart/form-data; boundary=\(boundary)", .authorization: "Bearer \(token)",
                ],
                body: ByteBuffer(bytes: upload))
            #expect(response.status == .created, "\(response.text)")
            let detail = try await client.send(.get, "/api/admin/documents/\(id)", token: token)
            #expect(detail.json["doc_type"] as? String == "pdf")
            let chunks = detail.json["chunks"] as? [[String: Any]] ?? []
            #expect(chunks.first?["page_start"] as? Int == 1)
            _ = try await client.send(.delete, "/api/admin/documents/\(id)", token: token)
        }
    }

    @Test func adminHealthReportsComponents() async throws {
        let library = try await TestLibrary.shared()
        let token = try await library.token(for: library.admin)
        let app = try await library.application(
            chat: ChatConfiguration(baseURL: "http://127.0.0.1:9/v1", apiKey: "sk-secret-key-123", model: "m"))
        try await app.test(.router) { client in
            let response = try await client.send(.get, "/api/admin/health", token: token)
            #expect(response.status == .ok)
            let json = response.json
            #expect((json["database"] as? [String: Any])?["status"] as? String == "ok")
            #expect((json["index"] as? [String: Any])?["dimension"] as? Int == 384)
            #expect(((json["embedding"] as? [String: Any])?["fingerprint"] as? String)?.isEmpty == false)
            #expect((json["cache"] as? [String: Any])?["entries"] is Int)
            #expect((json["qdrant"] as? [String: Any])?["configured"] as? Bool == false)
            let llm = json["llm"] as? [String: Any] ?? [:]
            #expect(llm["configured"] as? Bool == true && llm["base_url_host"] as? String == "127.0.0.1")
            // Nothing listens on port 9: the probe says so, and the server is degraded, not down.
            #expect(llm["reachable"] as? Bool == false)
            #expect((llm["probe_error"] as? String)?.hasPrefix("llm_unavailable") == true)
            #expect(llm["checked_at"] is String && llm["probe_ms"] is Double)
            #expect(json["status"] as? String == "degraded")
            #expect((json["qdrant"] as? [String: Any])?["reachable"] is NSNull)
            #expect(!response.text.contains("sk-secret-key-123"))
        }
    }
}

/// A one-page PDF with one line of text in a standard font, with a correct cross-reference table.
enum TinyPDF {
    static func make(text: String) -> Data {
        let stream = "BT /F1 12 Tf 72 720 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                + "/Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var output = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(output.utf8.count)
            output += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = output.utf8.count
        output += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { output += String(format: "%010d 00000 n \n", offset) }
        output += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(output.utf8)
    }
}
