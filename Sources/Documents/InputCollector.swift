import Foundation

/// Expands the paths given to `aigov ingest` into the files to read.
///
/// A directory is walked recursively in name order; hidden entries are skipped, and so is anything matched
/// by a `.aigovignore` file in a directory being walked (one shell glob per line, `#` starts a comment,
/// matched against the entry's name). A file named explicitly is always read, ignore files or not.
public enum InputCollector {
    /// Ignore-file name looked for in each walked directory.
    public static let ignoreFileName = ".aigovignore"

    /// The files under `paths`, each once, in the order given (directories expanded in place).
    ///
    /// - Throws: `IngestError` `notFound` for a path that does not exist.
    public static func files(_ paths: [String]) throws -> [URL] {
        var seen = Set<String>()
        var result: [URL] = []
        func add(_ url: URL) {
            let key = url.standardizedFileURL.path
            if seen.insert(key).inserted { result.append(url) }
        }
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw IngestError(.notFound, file: path, "no such file or directory")
            }
            let url = URL(fileURLWithPath: path)
            if isDirectory.boolValue {
                try walk(url, add)
            } else {
                add(url)
            }
        }
        return result
    }

    private static func walk(_ directory: URL, _ add: (URL) -> Void) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw IngestError(.unreadable, file: directory.path, "cannot list the directory")
        }
        let patterns = ignorePatterns(in: directory)
        // The folder's manifest describes the documents; it is not one.
        for name in names where !name.hasPrefix(".") && name != CorpusManifest.fileName {
            if patterns.contains(where: { fnmatch($0, name, 0) == 0 }) { continue }
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try walk(url, add)
            } else {
                add(url)
            }
        }
    }

    private static func ignorePatterns(in directory: URL) -> [String] {
        let url = directory.appendingPathComponent(ignoreFileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let pattern = line.trimmingCharacters(in: .whitespaces)
            return pattern.isEmpty || pattern.hasPrefix("#") ? nil : pattern
        }
    }
}
