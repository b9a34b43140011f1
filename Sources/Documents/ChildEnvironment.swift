import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The environment of every child process aigov starts (the PDF extractor, benchmark tools).
///
/// The server's environment holds its secrets (`SECRET_KEY`, `GROQ_API_KEY`, `QDRANT_API_KEY`, the password
/// in `DATABASE_URL`); a child that parses hostile input must not be able to read them, so children start
/// from nothing plus the few variables they need. Executables are resolved on the parent's `PATH` before
/// the spawn, because the child's own `PATH` is the fixed system one.
public enum ChildEnvironment {
    /// What every child gets: the system `PATH` and a UTF-8 locale.
    public static let minimal: [String: String] = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]

    /// ``minimal`` plus `TMPDIR` set to `temporaryDirectory`, so files the child makes land in its own folder.
    public static func minimal(temporaryDirectory: URL) -> [String: String] {
        minimal.merging(["TMPDIR": temporaryDirectory.path]) { _, new in new }
    }

    /// The absolute path of `name`: itself when it holds a `/`, else the first executable match on the
    /// parent's `PATH`, then on ``minimal``'s; nil when there is none.
    public static func resolve(
        _ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]
    ) -> String? {
        if name.contains("/") { return name }
        let folders = (path ?? "").split(separator: ":") + minimal["PATH", default: ""].split(separator: ":")
        for folder in folders where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
