import DocumentFixtures
import Documents
import Foundation
import Testing

/// Bad inputs give a per-file `IngestError` with a stable code and a message naming the file.
@Suite struct LoaderErrorTests {
    private let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    private func write(_ data: Data, _ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    private func error(
        loading url: URL, with loader: DocumentLoader = DocumentLoader(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> IngestError? {
        do {
            _ = try loader.load(fileAt: url)
            Issue.record("\(url.lastPathComponent) loaded without an error", sourceLocation: sourceLocation)
            return nil
        } catch let error as IngestError {
            #expect(error.message.contains(url.lastPathComponent), sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("not an IngestError: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test func emptyAndBlankFiles() throws {
        #expect(error(loading: try write(Data(), "empty.md"))?.code == .empty)
        #expect(error(loading: try write(Data(" \n\t\n".utf8), "blank.txt"))?.code == .empty)
        let scriptOnly = Data("<html><script>var x = 1;</script></html>".utf8)
        #expect(error(loading: try write(scriptOnly, "s.html"))?.code == .empty)
    }

    @Test func imagesAndBinaryAreUnsupported() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52])
        #expect(error(loading: try write(png, "figure.pdf"))?.code == .unsupported)
        #expect(error(loading: try write(Data([0x41, 0xFF, 0xFE, 0x41]), "latin1.txt"))?.code == .unsupported)
    }

    @Test func truncatedPDFIsCorrupt() throws {
        let original = try Data(contentsOf: Fixtures.url(Fixtures.rmfPDF))
        for size in [2000, 100_000] {
            let url = try write(original.prefix(size), "truncated-\(size).pdf")
            #expect(error(loading: url)?.code == .corrupt)
        }
    }

    @Test func encryptedPDFIsReportedAsSuch() throws {
        // A one-page PDF under the standard security handler whose password check cannot pass.
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            "<< /Filter /Standard /V 1 /R 2 /O <\(String(repeating: "11", count: 32))> "
                + "/U <\(String(repeating: "22", count: 32))> /P -4 >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        let id = String(repeating: "ab", count: 16)
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Encrypt 4 0 R /ID [<\(id)> <\(id)>] >>\n"
        pdf += "startxref\n\(xref)\n%%EOF\n"
        #expect(error(loading: try write(Data(pdf.utf8), "locked.pdf"))?.code == .encrypted)
    }

    @Test func slowExtractorIsKilledAtTheTimeLimit() throws {
        let script = try write(Data("#!/bin/sh\nsleep 30\n".utf8), "slow-pdftotext")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let loader = DocumentLoader(pdf: PDFTextExtractor(timeLimit: 0.5, executable: script.path))
        let pdf = try write(Data("%PDF-1.4\n".utf8), "slow.pdf")
        // Executing a file just written can fail with ETXTBSY while another test thread forks (the child
        // holds the write descriptor until it execs); that shows up as "cannot run", so try again.
        var code: IngestError.Code?
        var elapsed = 0.0
        for _ in 0..<3 {
            let started = Date()
            code = error(loading: pdf, with: loader)?.code
            elapsed = Date().timeIntervalSince(started)
            if code != .toolMissing { break }
            usleep(200_000)
        }
        #expect(code == .timeout)
        // Far under the script's 30 s: the kill, not the script's end, stopped it.
        #expect(elapsed < 25)
    }

    @Test func missingExtractorAndSizeLimit() throws {
        let pdf = try write(Data("%PDF-1.4\n".utf8), "any.pdf")
        let noTool = DocumentLoader(pdf: PDFTextExtractor(executable: "/nonexistent/pdftotext"))
        #expect(error(loading: pdf, with: noTool)?.code == .toolMissing)
        let small = DocumentLoader(maxBytes: 4)
        #expect(error(loading: try write(Data("hello world".utf8), "big.txt"), with: small)?.code == .tooLarge)
        #expect(error(loading: directory.appendingPathComponent("absent.txt"))?.code == .unreadable)
    }
}
