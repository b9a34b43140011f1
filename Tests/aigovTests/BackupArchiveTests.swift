import Documents
import Foundation
import Testing

/// Backups as one `.tar` file and with a Qdrant snapshot (issue 18): written, verified and restored like folders;
/// hostile or damaged archives refused before anything is unpacked outside a temporary folder; a killed run never
/// leaves a file that looks like a backup; the snapshot downloaded from the Qdrant peer, checksummed and removed
/// from the server.
@Suite struct BackupArchiveTests {
    static func json(_ output: CLI.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    /// Runs python3 with `script` (tarfile makes the hostile archives GNU tar would refuse to make).
    static func python(_ script: String, _ arguments: [String]) throws {
        let folder = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let errors = folder + "/python-errors"
        let ended = try ChildProcess.run(
            ["/usr/bin/env", "python3", "-c", script] + arguments, environment: ProcessInfo.processInfo.environment,
            stderr: errors)
        #expect(ended == .exited(0), "\((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")")
    }

    @Test func anArchiveRoundTripsAndHostileArchivesAreRefused() async throws {
        let (data, corpus) = try ServeCommandTests.workspace()
        #expect(try await CLI.run(["ingest", corpus, "--data-dir", data]).status == 0)
        let folder = try CLI.temporaryDirectory()
        let archive = folder + "/nightly.tar"

        let keep = try await CLI.run(["backup", "create", "--data-dir", data, "--to", archive, "--keep", "2"])
        #expect(keep.status != 0 && keep.stderr.contains("--keep"), "\(keep.stderr)")

        let made = try await CLI.run(["backup", "create", "--data-dir", data, "--to", archive, "--json"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try Self.json(made)["path"] as? String == archive)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["nightly.tar"])
        let again = try await CLI.run(["backup", "create", "--data-dir", data, "--to", archive])
        #expect(again.status != 0 && again.stderr.contains("exists already"), "\(again.stderr)")

        let verified = try await CLI.run(["backup", "verify", archive, "--json"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(try Self.json(verified)["ok"] as? Bool == true)
        let restored = try CLI.temporaryDirectory() + "/var"
        let restore = try await CLI.run(["backup", "restore", archive, "--data-dir", restored, "--json"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try Self.json(restore)["ok"] as? Bool == true)
        #expect(try await BackupCommandTests.answers(restored) == (try await BackupCommandTests.answers(data)))

        // A flipped byte inside the archive (in a member's contents, past the first headers).
        let damaged = folder + "/damaged.tar"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let damagedVerify = try await CLI.run(["backup", "verify", damaged])
        #expect(damagedVerify.status != 0, "a flipped byte in the archive passed")
        let target = try CLI.temporaryDirectory() + "/var"
        #expect(try await CLI.run(["backup", "restore", damaged, "--data-dir", target]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: target + "/aigov.sqlite"))

        // Hostile archives: a link, a member outside the folder, two folders, and no tar at all.
        let hostile = try CLI.temporaryDirectory()
        let make = """
            import io, sys, tarfile
            kind, path = sys.argv[1], sys.argv[2]
            with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
                def add(name, data=b"x", type=tarfile.REGTYPE, link=""):
                    info = tarfile.TarInfo(name); info.type = type; info.linkname = link; info.size = len(data)
                    tar.addfile(info, io.BytesIO(data) if type == tarfile.REGTYPE else None)
                add("aigov-backup-x/manifest.json", b"{}")
                if kind == "link": add("aigov-backup-x/store.sqlite", b"", tarfile.SYMTYPE, "/etc/passwd")
                if kind == "escape": add("aigov-backup-x/../escaped", b"planted")
                if kind == "two": add("aigov-backup-y/manifest.json", b"{}")
            """
        for (kind, expected) in [
            ("link", "not a file or a folder"), ("escape", "outside its backup folder"),
            ("two", "one aigov backup folder"),
        ] {
            let path = hostile + "/\(kind).tar"
            try Self.python(make, [kind, path])
            let verify = try await CLI.run(["backup", "verify", path])
            #expect(verify.status != 0 && verify.stderr.contains(expected), "\(kind): \(verify.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: hostile + "/escaped"))
        try Data("not a tar archive at all".utf8).write(to: URL(fileURLWithPath: hostile + "/plain.tar"))
        let plain = try await CLI.run(["backup", "verify", hostile + "/plain.tar"])
        #expect(plain.status != 0 && plain.stderr.contains("not_a_backup"), "\(plain.stderr)")
    }

    /// SIGKILL at random moments of `backup create --to N.tar`: each archive either does not exist or verifies;
    /// what a killed run leaves is hidden and gone after the next run into the same name.
    @Test func aKilledArchiveBackupLeavesAWholeArchiveOrNone() async throws {
        let (data, corpus) = try ServeCommandTests.workspace()
        #expect(try await CLI.run(["ingest", corpus, "--data-dir", data]).status == 0)
        try Data(repeating: 7, count: 48 << 20).write(to: URL(fileURLWithPath: data + "/embeddings/ballast-384.vec"))
        let folder = try CLI.temporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<8 {
            _ = try await CLI.runKilled(
                ["backup", "create", "--data-dir", data, "--to", folder + "/trial-\(trial).tar"],
                after: Double(Int.random(in: 20...1_500, using: &generator)) / 1_000)
        }
        for trial in 0..<8 where FileManager.default.fileExists(atPath: folder + "/trial-\(trial).tar") {
            let verify = try await CLI.run(["backup", "verify", folder + "/trial-\(trial).tar"])
            #expect(verify.status == 0, "trial \(trial): \(verify.stderr)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(names.allSatisfy { $0.hasPrefix(".") || $0.hasSuffix(".tar") }, "\(names)")
        for trial in 0..<8 where !FileManager.default.fileExists(atPath: folder + "/trial-\(trial).tar") {
            let rerun = try await CLI.run([
                "backup", "create", "--data-dir", data, "--to", folder + "/trial-\(trial).tar",
            ])
            #expect(rerun.status == 0, "\(rerun.stderr)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(left.allSatisfy { !$0.hasPrefix(".") } && left.count == 8, "\(left)")
    }

    @Test func aQdrantSnapshotIsDownloadedIntoTheBackup() async throws {
        let (data, corpus) = try ServeCommandTests.workspace()
        let backups = try CLI.temporaryDirectory()
        let unset = try await CLI.run(
            ["backup", "create", "--data-dir", data, "--to", backups, "--qdrant-snapshot"],
            environment: ["QDRANT_URL": ""])
        #expect(unset.status != 0 && unset.stderr.contains("QDRANT_URL is not set"), "\(unset.stderr)")

        let peer = try SyncCommandTests.startPeer()
        defer { peer.stop() }
        let qdrant = ["QDRANT_URL": peer.url, "QDRANT_COLLECTION": "snap"]
        #expect(try await CLI.run(["ingest", corpus, "--data-dir", data], environment: qdrant).status == 0)
        let synced = try await CLI.run(["sync", "--data-dir", data, "--verify"], environment: qdrant)
        #expect(synced.status == 0, "\(synced.stderr)")
        let (_, aliases) = try await ServeCommandTests.get(peer.url + "/aliases")
        let list = (aliases["result"] as? [String: Any])?["aliases"] as? [[String: Any]] ?? []
        let collection = try #require(
            list.first { $0["alias_name"] as? String == "snap" }?["collection_name"] as? String)

        let made = try await CLI.run(
            ["backup", "create", "--data-dir", data, "--to", backups, "--qdrant-snapshot", "--json"],
            environment: qdrant)
        #expect(made.status == 0, "\(made.stderr)")
        let object = try Self.json(made)
        let path = try #require(object["path"] as? String)
        let file = try #require(object["qdrant_snapshot"] as? String)
        #expect(file.hasPrefix("qdrant/\(collection)-"))
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + "/manifest.json")))
                as? [String: Any])
        let described = try #require(manifest["qdrant_snapshot"] as? [String: Any])
        #expect(described["collection"] as? String == collection && described["path"] as? String == file)
        // The peer's snapshot holds the collection's points: one per stored chunk.
        let snapshot = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + "/" + file)))
                as? [String: Any])
        let chunks = (manifest["counts"] as? [String: Any])?["chunks"] as? Int
        #expect((snapshot["points"] as? [Any])?.count == chunks)
        // Removed from Qdrant's disk once downloaded.
        let (_, left) = try await ServeCommandTests.get(peer.url + "/collections/\(collection)/snapshots")
        #expect((left["result"] as? [Any])?.isEmpty == true, "\(left)")
        #expect(try await CLI.run(["backup", "verify", path]).status == 0)

        // The snapshot is checksummed like every other file.
        let copy = try CLI.temporaryDirectory() + "/backup"
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let snapshotURL = URL(fileURLWithPath: copy + "/" + file)
        var bytes = try Data(contentsOf: snapshotURL)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: snapshotURL)
        let damaged = try await CLI.run(["backup", "verify", copy])
        #expect(damaged.status != 0 && damaged.stderr.contains(file), "\(damaged.stderr)")

        // Qdrant away: the backup fails and leaves nothing that looks like one.
        let down = try await CLI.run(
            ["backup", "create", "--data-dir", data, "--to", backups + "/down", "--qdrant-snapshot"],
            environment: ["QDRANT_URL": "http://127.0.0.1:1", "QDRANT_COLLECTION": "snap"])
        #expect(down.status != 0 && down.stderr.contains("Qdrant snapshot"), "\(down.stderr)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: backups + "/down")) ?? []
        #expect(!names.contains { $0.hasPrefix("aigov-backup-") }, "\(names)")
    }
}
