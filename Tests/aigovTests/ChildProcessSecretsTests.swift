import Foundation
import Testing

/// `aigov ingest` of a PDF with the server's secrets in its environment: the extractor child sees none.
@Suite struct ChildProcessSecretsTests {
    @Test func thePDFExtractorNeverSeesTheParentsSecrets() async throws {
        let data = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let folder = URL(fileURLWithPath: data)
        // Stand-ins for pdftotext and pdfinfo, found first on the parent's PATH, that record their environment.
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let tools = [
            "pdftotext": "env > '\(data)/pdftotext.env'\n"
                + "printf 'Article 1 Scope\\n\\nThis text is a test.\\n\\f' > \"$out\"",
            "pdfinfo": "env > '\(data)/pdfinfo.env'\necho 'Pages: 1'",
        ]
        for (name, body) in tools {
            let script = bin.appendingPathComponent(name)
            try Data("#!/bin/sh\nfor out; do :; done\n\(body)\n".utf8).write(to: script)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        }
        let pdf = folder.appendingPathComponent("scope.pdf")
        try Data("%PDF-1.4\n%%EOF\n".utf8).write(to: pdf)
        let secrets = [
            "SECRET_KEY": "secret-key-0123456789-0123456789-abcdef",
            "GROQ_API_KEY": "gsk_secret_groq_key",
            "QDRANT_API_KEY": "secret-qdrant-key",
            "DATABASE_URL": "sqlite://\(data)/secret-database-name.sqlite",
        ]
        var environment = secrets
        environment["PATH"] = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let run = try await CLI.run(["ingest", "--data-dir", data, "--json", pdf.path], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        for tool in tools.keys {
            let seen = try String(contentsOfFile: "\(data)/\(tool).env", encoding: .utf8)
            for (name, value) in secrets {
                #expect(!seen.contains(name) && !seen.contains(value), "\(tool) saw \(name)")
            }
            #expect(seen.contains("PATH=/usr/bin:/bin"), "\(tool): \(seen)")
        }
    }
}
