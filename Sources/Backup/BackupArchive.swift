import Documents
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A backup as one file (`aigov backup create --to NAME.tar`): the backup's folder in a POSIX tar archive, for
/// copying off the machine or into object storage as it is. `verify` and `restore` take the file as they take a
/// folder, unpacking it into a temporary folder first.
///
/// The archive is made and read by the system's GNU `tar` (Debian's `tar` package, essential on every Debian
/// system and in the image), started with the minimal child environment: a format this old and this well kept
/// is not worth a Swift implementation or a package dependency. Archives are not trusted on the way in: every
/// member must be a plain file or folder under one top folder, which is checked on the listing before anything
/// is extracted (no links, devices, absolute names or `..`), and the unpacked backup is then verified file by
/// file against its manifest like any other.
public enum BackupArchive {
    /// Whether `path` names an archive rather than a folder of backups.
    public static func isArchive(_ path: String) -> Bool { path.hasSuffix(".tar") }

    /// Makes a backup into the archive `file` by way of a hidden staging folder beside it: the folder backup is
    /// written there, packed into `.<file>.partial`, flushed and renamed to `file`. A kill leaves hidden
    /// leftovers (removed by the next run into the same place), never a file at `file`; the staging folder goes
    /// before the rename, so once `file` exists nothing hidden is left beside it.
    public static func create(
        _ file: URL, with creator: BackupCreator, qdrantSnapshot: BackupCreator.QdrantSnapshotWriter? = nil
    ) async throws -> BackupManifest {
        let parent = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw BackupError(.io, "\(file.lastPathComponent) exists already")
        }
        let staging = parent.appendingPathComponent(".\(file.lastPathComponent).staging")
        let partial = parent.appendingPathComponent(".\(file.lastPathComponent).partial")
        try? FileManager.default.removeItem(at: partial)
        try? FileManager.default.removeItem(at: staging)
        defer { try? FileManager.default.removeItem(at: staging) }
        let (folder, manifest) = try await creator.create(in: staging, qdrantSnapshot: qdrantSnapshot)
        do {
            try runTar([
                "--create", "--format=posix", "--sort=name", "--file", partial.path, "--directory", staging.path,
                folder.lastPathComponent,
            ])
            try FileDigest.flush(partial)
            try FileManager.default.removeItem(at: staging)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        guard rename(partial.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: partial)
            throw BackupError(.io, "cannot rename the archive to \(file.lastPathComponent)")
        }
        FileChores.flushDirectory(parent)
        return manifest
    }

    /// Runs `body` on the backup at `path`: the folder itself, or an archive's backup unpacked into a temporary
    /// folder that is removed afterwards.
    public static func withBackup<T>(at path: URL, _ body: (URL) async throws -> T) async throws -> T {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else {
            throw BackupError(.notABackup, "\(path.lastPathComponent) does not exist")
        }
        if isFolder.boolValue { return try await body(path) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-unpack-\(UUID())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = try unpack(path, into: scratch)
        return try await body(folder)
    }

    /// Extracts the archive into `scratch` (created) after checking its listing; returns its one top folder.
    static func unpack(_ file: URL, into scratch: URL) throws(BackupError) -> URL {
        let listing: String
        do {
            listing = try runTar(["--list", "--verbose", "--quoting-style=escape", "--file", file.path])
        } catch {
            throw BackupError(.notABackup, "\(file.lastPathComponent) is not a tar archive")
        }
        let top = try checkListing(listing, name: file.lastPathComponent)
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw BackupError(.io, "cannot create a temporary folder to unpack into")
        }
        do {
            try runTar([
                "--extract", "--file", file.path, "--directory", scratch.path, "--no-same-owner",
                "--no-same-permissions",
            ])
        } catch {
            throw BackupError(.damaged, "\(file.lastPathComponent) could not be unpacked")
        }
        return scratch.appendingPathComponent(top)
    }

    /// The one top folder of a verbose listing whose members are all plain files and folders beneath it.
    static func checkListing(_ listing: String, name: String) throws(BackupError) -> String {
        var top: String?
        for line in listing.split(separator: "\n") {
            // `-rw-r--r-- user/group size date time name`: the type is the mode's first letter, the name the
            // sixth field on (escaped, so it holds no newline).
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, let type = fields[0].first else {
                throw BackupError(.damaged, "\(name) has a listing this aigov does not read")
            }
            guard type == "-" || type == "d" else {
                throw BackupError(.damaged, "\(name) holds a member that is not a file or a folder")
            }
            let path = String(fields[5])
            let parts = path.split(separator: "/").map(String.init)
            guard !path.hasPrefix("/"), let first = parts.first, !parts.contains(".."), !parts.contains(".") else {
                throw BackupError(.damaged, "\(name) holds a member outside its backup folder")
            }
            if top == nil { top = first }
            guard first == top, first.hasPrefix(BackupCreator.prefix) else {
                throw BackupError(.notABackup, "\(name) does not hold one aigov backup folder")
            }
        }
        guard let top else { throw BackupError(.notABackup, "\(name) is empty") }
        return top
    }

    /// Runs `tar` with `arguments` and returns its standard output; a non-zero exit is an `io` error carrying
    /// tar's last message line (which names files, never settings: the child sees no secret).
    @discardableResult
    static func runTar(_ arguments: [String]) throws(BackupError) -> String {
        guard let tar = ChildEnvironment.resolve("tar") else {
            throw BackupError(.io, "tar is not installed (Debian package tar)")
        }
        // tar's output and messages go to files, read after it exits: two pipes read one after the other could
        // stall it. The child is reaped by ChildProcess, whose wait cannot miss its exit as Foundation's did.
        let work: PrivateTemporaryDirectory
        do {
            work = try PrivateTemporaryDirectory(prefix: "aigov-tar", for: "tar")
        } catch {
            throw BackupError(.io, "cannot create a temporary folder for tar's output")
        }
        defer { work.remove() }
        let output = work.url.appendingPathComponent("out")
        let messages = work.url.appendingPathComponent("messages")
        let ended: ChildProcess.Termination
        do {
            ended = try ChildProcess.run(
                [tar] + arguments, environment: ChildEnvironment.minimal, stdout: output.path, stderr: messages.path)
        } catch {
            throw BackupError(.io, "cannot start tar")
        }
        guard ended == .exited(0) else {
            let text = (try? String(contentsOf: messages, encoding: .utf8)) ?? ""
            let status =
                switch ended {
                case .exited(let code): "exit status \(code)"
                case .signaled(let signal): "signal \(signal)"
                case .stopped: "stopped"
                }
            let message = text.split(separator: "\n").last.map(String.init) ?? status
            throw BackupError(.io, "tar failed: \(message)")
        }
        return (try? Data(contentsOf: output)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
