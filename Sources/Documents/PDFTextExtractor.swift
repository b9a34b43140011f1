import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs poppler's `pdftotext` in a child process with time, memory, output and page limits: a hostile or
/// broken PDF can hang or balloon the parser, and that must cost one file, never the server. The child starts
/// with an empty environment plus ``ChildEnvironment/minimal`` (it never sees the server's secrets) and works
/// in its own 0700 folder.
public struct PDFTextExtractor: Sendable {
    /// Wall-clock limit per file; the child's whole process group is killed when it runs past it.
    public var timeLimit: TimeInterval
    /// Address-space limit of the child in bytes (`ulimit -v`).
    public var memoryLimit: Int
    /// The most bytes of text one file may produce; past it the child is killed and the file refused, so a
    /// small PDF that expands to gigabytes of text never fills the disk or the server's memory.
    public var maxOutputBytes: Int
    /// Pages past this are never extracted, and a PDF that declares more is refused.
    public var maxPages: Int
    /// The `pdftotext` executable, looked up on `PATH` when nil.
    public var executable: String?

    /// An extractor with a 60 s, 1 GiB, 64 MiB of text and 2,000-page allowance per file by default.
    public init(
        timeLimit: TimeInterval = 60, memoryLimit: Int = 1 << 30, maxOutputBytes: Int = 64 << 20,
        maxPages: Int = 2_000, executable: String? = nil
    ) {
        self.timeLimit = timeLimit
        self.memoryLimit = memoryLimit
        self.maxOutputBytes = maxOutputBytes
        self.maxPages = maxPages
        self.executable = executable
    }

    /// The raw text of each page of the PDF at `url` (page 1 first, at most ``maxPages``), split at
    /// pdftotext's form feeds. Blocks the calling thread while the child runs.
    public func pages(of url: URL, name: String) throws -> [String] {
        let work = try PrivateTemporaryDirectory(prefix: "aigov-pdf", for: name)
        defer { work.remove() }
        let output = work.url.appendingPathComponent("out.txt")
        let errors = work.url.appendingPathComponent("err.txt")
        guard let tool = ChildEnvironment.resolve(executable ?? "pdftotext") else {
            throw IngestError(.toolMissing, file: name, "pdftotext cannot be run (is poppler-utils installed?)")
        }
        // `exec` so the limits apply to pdftotext itself; `$0`.. keep the paths out of the shell's parsing.
        let script = limits + "exec \"$0\" -enc UTF-8 -l \(max(1, maxPages)) \"$1\" \"$2\""
        let outcome = try run(
            ["/bin/sh", "-c", script, tool, url.path, output.path], stdout: nil, stderr: errors.path,
            watching: output.path, in: work, name: name)
        let stderr = (try? Data(contentsOf: errors)).map { String(decoding: $0.prefix(65536), as: UTF8.self) } ?? ""
        switch outcome {
        case .timedOut:
            throw IngestError(.timeout, file: name, "PDF text extraction took longer than \(Int(timeLimit)) s")
        case .outputTooLarge, .signaled(SIGXFSZ):
            throw IngestError(
                .outputTooLarge, file: name, "the PDF's text is larger than \(maxOutputBytes) bytes")
        case .signaled(let signal):
            throw IngestError(.resourceLimit, file: name, "the PDF extractor was stopped by signal \(signal)")
        case .exited(let status):
            if status == 127 || status == 126 {
                throw IngestError(.toolMissing, file: name, "pdftotext cannot be run (is poppler-utils installed?)")
            }
            if stderr.contains("Incorrect password") {
                throw IngestError(.encrypted, file: name, "the PDF is encrypted (password-protected)")
            }
            if stderr.contains("bad_alloc") || stderr.contains("Out of memory") {
                throw IngestError(.resourceLimit, file: name, "the PDF needs more memory than allowed")
            }
            // A child that ignores SIGXFSZ sees its writes fail at the limit instead.
            if let size = Self.size(of: output.path), size >= maxOutputBytes {
                throw IngestError(
                    .outputTooLarge, file: name, "the PDF's text is larger than \(maxOutputBytes) bytes")
            }
            guard status == 0, let data = try? Data(contentsOf: output) else {
                throw IngestError(.corrupt, file: name, "the PDF is damaged or malformed (pdftotext exit \(status))")
            }
            var pages = String(decoding: data, as: UTF8.self).components(separatedBy: "\u{0C}")
            // pdftotext ends every page with a form feed, so the text after the last one is not a page.
            if pages.count > 1, pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true {
                pages.removeLast()
            }
            return pages
        }
    }

    /// The document information of the PDF (`pdfinfo`): keys such as `title`, `author`, `subject`, `pages`,
    /// `creation_date`, lower-cased with underscores. Best effort: empty when pdfinfo fails or is missing.
    public func information(of url: URL, name: String, pdfinfo: String = "pdfinfo") -> [String: String] {
        guard let work = try? PrivateTemporaryDirectory(prefix: "aigov-pdfinfo", for: name),
            let tool = ChildEnvironment.resolve(pdfinfo)
        else { return [:] }
        defer { work.remove() }
        let output = work.url.appendingPathComponent("info.txt")
        let script = limits + "exec \"$0\" -enc UTF-8 \"$1\""
        let outcome = try? run(
            ["/bin/sh", "-c", script, tool, url.path], stdout: output.path,
            stderr: work.url.appendingPathComponent("err.txt").path, watching: output.path, in: work, name: name,
            limit: min(timeLimit, 15))
        guard case .exited(0) = outcome, let data = try? Data(contentsOf: output) else { return [:] }
        var information: [String: String] = [:]
        for line in String(decoding: data.prefix(1 << 20), as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].lowercased().replacingOccurrences(of: " ", with: "_")
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if ["title", "author", "subject", "creator", "producer", "creationdate", "pages"].contains(key),
                !value.isEmpty
            {
                information[key == "creationdate" ? "creation_date" : key] = value
            }
        }
        return information
    }

    /// Shell limits for the child: address space (`-v`, KiB) and the size of any file it writes (`-f`,
    /// 512-byte blocks), so the kernel stops an oversized output even between two of our checks.
    private var limits: String {
        let kilobytes = max(memoryLimit / 1024, 65536)
        let blocks = max(maxOutputBytes, 1) / 512 + 1
        return "ulimit -v \(kilobytes) 2>/dev/null; ulimit -f \(blocks) 2>/dev/null; "
    }

    private static func size(of path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    private enum Outcome {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
        case outputTooLarge
    }

    /// The child in a new process group, so a timeout kills the extractor and anything it started; with the
    /// minimal environment and `TMPDIR` in `work`. The child is killed as soon as `watching` grows past
    /// ``maxOutputBytes``.
    private func run(
        _ arguments: [String], stdout: String?, stderr: String, watching: String, in work: PrivateTemporaryDirectory,
        name: String, limit: TimeInterval? = nil
    ) throws -> Outcome {
        let deadline = Date().addingTimeInterval(limit ?? timeLimit)
        var tooLarge = false
        let ended: ChildProcess.Termination
        do {
            ended = try ChildProcess.run(
                arguments, environment: ChildEnvironment.minimal(temporaryDirectory: work.url),
                stdout: stdout ?? "/dev/null", stderr: stderr, ownProcessGroup: true
            ) {
                if let size = Self.size(of: watching), size > maxOutputBytes { tooLarge = true }
                return tooLarge || Date() >= deadline
            }
        } catch {
            throw IngestError(.toolMissing, file: name, "cannot start the PDF extractor (error \(error.code))")
        }
        switch ended {
        case .exited(let code): return .exited(code)
        case .signaled(let signal): return .signaled(signal)
        case .stopped: return tooLarge ? .outputTooLarge : .timedOut
        }
    }
}
