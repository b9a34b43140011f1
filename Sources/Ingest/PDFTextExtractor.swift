import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs poppler's `pdftotext` in a child process with a time and memory limit: a hostile or broken PDF can
/// hang or balloon the parser, and that must cost one file, never the server.
public struct PDFTextExtractor: Sendable {
    /// Wall-clock limit per file; the child's whole process group is killed when it runs past it.
    public var timeLimit: TimeInterval
    /// Address-space limit of the child in bytes (`ulimit -v`).
    public var memoryLimit: Int
    /// The `pdftotext` executable, looked up on `PATH` when nil.
    public var executable: String?

    /// An extractor with a 60 s and 1 GiB allowance per file by default.
    public init(timeLimit: TimeInterval = 60, memoryLimit: Int = 1 << 30, executable: String? = nil) {
        self.timeLimit = timeLimit
        self.memoryLimit = memoryLimit
        self.executable = executable
    }

    /// The raw text of each page of the PDF at `url` (page 1 first), split at pdftotext's form feeds.
    /// Blocks the calling thread while the child runs.
    public func pages(of url: URL, name: String) throws -> [String] {
        let work = FileManager.default.temporaryDirectory
            .appendingPathComponent("aigov-pdf-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            throw IngestError(.unreadable, file: name, "cannot create a temporary folder for the PDF extractor")
        }
        defer { try? FileManager.default.removeItem(at: work) }
        let output = work.appendingPathComponent("out.txt")
        let errors = work.appendingPathComponent("err.txt")

        let kilobytes = max(memoryLimit / 1024, 65536)
        // `exec` so the limit applies to pdftotext itself; `$0`.. keep the paths out of the shell's parsing.
        let script = "ulimit -v \(kilobytes) 2>/dev/null; exec \"$0\" -enc UTF-8 \"$1\" \"$2\""
        let outcome = try run(
            ["/bin/sh", "-c", script, executable ?? "pdftotext", url.path, output.path], stdout: nil,
            stderr: errors.path, name: name)
        let stderr = (try? Data(contentsOf: errors)).map { String(decoding: $0.prefix(65536), as: UTF8.self) } ?? ""
        switch outcome {
        case .timedOut:
            throw IngestError(.timeout, file: name, "PDF text extraction took longer than \(Int(timeLimit)) s")
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
        let work = FileManager.default.temporaryDirectory
            .appendingPathComponent("aigov-pdfinfo-\(UUID().uuidString)", isDirectory: true)
        guard (try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)) != nil else {
            return [:]
        }
        defer { try? FileManager.default.removeItem(at: work) }
        let output = work.appendingPathComponent("info.txt")
        let script = "ulimit -v \(max(memoryLimit / 1024, 65536)) 2>/dev/null; exec \"$0\" -enc UTF-8 \"$1\""
        let outcome = try? run(
            ["/bin/sh", "-c", script, pdfinfo, url.path], stdout: output.path,
            stderr: work.appendingPathComponent("err.txt").path, name: name, limit: min(timeLimit, 15))
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

    private enum Outcome {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
    }

    /// posix_spawn in a new process group, so a timeout kills the extractor and anything it started.
    private func run(
        _ arguments: [String], stdout: String?, stderr: String, name: String, limit: TimeInterval? = nil
    ) throws -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdout {
            posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard spawned == 0 else {
            throw IngestError(.toolMissing, file: name, "cannot start the PDF extractor (error \(spawned))")
        }
        let deadline = Date().addingTimeInterval(limit ?? timeLimit)
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result == -1, errno != EINTR {
                return .signaled(SIGKILL)
            }
            if Date() >= deadline {
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) == -1, errno == EINTR {}
                return .timedOut
            }
            usleep(5000)
        }
        // The low 7 bits hold the terminating signal, 0 for a normal exit whose code is in the next byte.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }
}
