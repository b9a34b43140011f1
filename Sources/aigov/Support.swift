import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Peak resident set size of this process in bytes (Linux reports `ru_maxrss` in KiB).
func peakRSSBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
}

/// The resident set now (Linux: `/proc/self/statm`), in bytes; 0 where that file is missing.
func currentRSSBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// The resident set split as Linux's `/proc/self/status` gives it: anonymous pages (the heap: with no swap they
/// stay in memory) and file pages (mappings the kernel may drop and read back), in bytes; zeros elsewhere.
func residentSplitBytes() -> (anonymous: Int, file: Int) {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
        return (Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") ?? 0) * 1024
    }
    return (field("RssAnon"), field("RssFile"))
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Writes `text` to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints `object` as one line of JSON with sorted keys to standard output.
func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

/// A progress bar on standard error, redrawn at most ten times a second; silent when stderr is not a
/// terminal except for a final line.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let total: Int
    private var done = 0
    private var lastDraw = 0.0
    private let started = monotonicSeconds()
    private let lock = NSLock()
    private let interactive = isatty(2) != 0

    init(_ label: String, total: Int) {
        self.label = label
        self.total = total
    }

    func advance(by count: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        done += count
        let now = monotonicSeconds()
        if interactive && (now - lastDraw > 0.1 || done >= total) {
            lastDraw = now
            draw(now)
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        let now = monotonicSeconds()
        if interactive { draw(now) }
        let elapsed = now - started
        let line = String(format: "%@: %d/%d in %.1fs", label, done, total, elapsed)
        FileHandle.standardError.write(Data(((interactive ? "\n" : "") + line + "\n").utf8))
    }

    private func draw(_ now: Double) {
        let width = 30
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = Double(done) / max(now - started, 1e-9)
        let text = String(format: "\r%@ [%@] %d/%d %.1f/s", label, bar, done, total, rate)
        FileHandle.standardError.write(Data(text.utf8))
    }
}
