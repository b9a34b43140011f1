import Documents
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The PDF extractor's child process: what it can see and how much it may write. Each test runs a real child,
/// a shell script standing in for pdftotext, so what is checked is what the kernel gave that process.
@Suite struct PDFChildProcessTests {
    private let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pdf-child-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// An executable script whose body runs with `$out` set to the output path (pdftotext's last argument).
    private func extractor(_ body: String) throws -> String {
        let url = directory.appendingPathComponent("fake-pdftotext-\(UUID().uuidString)")
        try Data("#!/bin/sh\nfor out; do :; done\n\(body)\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    /// Loads a PDF through `extractor`, retrying the spawn that a concurrent fork can make fail with ETXTBSY
    /// (a script just written is briefly held open by another test's child).
    private func load(
        _ extractor: PDFTextExtractor, data: Data = Data("%PDF-1.4\n".utf8), fileAt url: URL? = nil
    ) throws -> Document {
        let loader = DocumentLoader(pdf: extractor)
        var attempt = 0
        while true {
            do {
                if let url { return try loader.load(fileAt: url) }
                return try loader.load(data: data, fileName: "upload.pdf")
            } catch let error as IngestError where error.code == .toolMissing && attempt < 3 {
                attempt += 1
                usleep(200_000)
            }
        }
    }

    @Test func theChildSeesOnlyTheMinimalEnvironment() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let canary = "AIGOV_TEST_CANARY_\(UUID().uuidString.replacingOccurrences(of: "-", with: "_"))"
        setenv(canary, "must-not-leak", 1)
        defer { unsetenv(canary) }
        let dump = directory.appendingPathComponent("env.txt")
        let script = try extractor("env > '\(dump.path)'; printf 'Article 1 Scope\\n\\f' > \"$out\"")
        let document = try load(PDFTextExtractor(executable: script))
        #expect(document.text.contains("Article 1"))
        let lines = try String(contentsOf: dump, encoding: .utf8).split(separator: "\n")
        let names = Set(lines.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        #expect(!names.contains(canary))
        // Whatever the parent holds, the child has the minimal set plus what sh itself defines.
        #expect(names.isSubset(of: ["PATH", "LANG", "TMPDIR", "PWD", "OLDPWD", "SHLVL", "_"]), "\(names)")
        #expect(lines.contains("PATH=/usr/bin:/bin") && lines.contains("LANG=C.UTF-8"))
    }

    /// A descriptor the server holds without close-on-exec (a file being written, a socket of another library)
    /// must not reach the extractor: the PDF is untrusted input, and a child holding another thread's script
    /// open for writing made its exec fail with ETXTBSY for as long as the child lived.
    @Test func theChildInheritsNoDescriptorsButTheStandardOnes() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let marker = directory.appendingPathComponent("held-open-\(UUID().uuidString)")
        let held = open(marker.path, O_WRONLY | O_CREAT, 0o600)
        try #require(held > 2)
        defer { close(held) }
        let report = directory.appendingPathComponent("fds.txt")
        let script = try extractor(
            "for fd in /proc/$$/fd/*; do readlink \"$fd\"; done > '\(report.path)'; "
                + "printf 'Article 1 Scope\\n\\f' > \"$out\"")
        _ = try load(PDFTextExtractor(executable: script))
        let targets = try String(contentsOf: report, encoding: .utf8)
        #expect(!targets.contains(marker.lastPathComponent), "\(targets)")
    }

    @Test func theChildWorksInPrivateFoldersAndUploadsAreStagedPrivately() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let modes = directory.appendingPathComponent("modes.txt")
        // The staged upload (pdftotext's input), its folder, and the child's own folder ($TMPDIR).
        let script = try extractor(
            "for input; do [ \"$input\" = \"$out\" ] && break; last=\"$input\"; done\n"
                + "stat -c '%a %n' \"$last\" \"$(dirname \"$last\")\" \"$TMPDIR\" \"$(dirname \"$out\")\" > '\(modes.path)'\n"
                + "printf 'Article 1 Scope\\n\\f' > \"$out\"")
        _ = try load(PDFTextExtractor(executable: script))
        let lines = try String(contentsOf: modes, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: " ", maxSplits: 1).map(String.init)
        }
        #expect(lines.count == 4)
        #expect(lines.first?.first == "600")
        #expect(lines.dropFirst().allSatisfy { $0.first == "700" }, "\(lines)")
        // Both folders are gone once the extraction is over.
        #expect(lines.dropFirst().allSatisfy { !FileManager.default.fileExists(atPath: $0[1]) })
        #expect(!FileManager.default.fileExists(atPath: lines[0][1]))
    }

    @Test func aChildThatWritesTooMuchIsStopped() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = try extractor("yes 'Article 1 endless text' > \"$out\"")
        let started = Date()
        #expect(throws: IngestError.self) {
            do {
                _ = try load(PDFTextExtractor(timeLimit: 30, maxOutputBytes: 1 << 20, executable: script))
            } catch let error as IngestError {
                #expect(error.code == .outputTooLarge, "\(error)")
                throw error
            }
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func pdftotextIsAskedForAtMostMaxPages() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = directory.appendingPathComponent("arguments.txt")
        let script = try extractor("echo \"$@\" > '\(arguments.path)'; printf 'Article 1 Scope\\n\\f' > \"$out\"")
        _ = try load(PDFTextExtractor(maxPages: 7, executable: script))
        #expect(try String(contentsOf: arguments, encoding: .utf8).hasPrefix("-enc UTF-8 -l 7 "))
    }

    @Test func aPDFDeclaringMorePagesThanAllowedIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/governance/nist-ai-100-1_ai-rmf-1.0.pdf")
        #expect(throws: IngestError.self) {
            do {
                _ = try load(PDFTextExtractor(maxPages: 3), fileAt: fixture)
            } catch let error as IngestError {
                #expect(error.code == .tooManyPages, "\(error)")
                throw error
            }
        }
    }
}
