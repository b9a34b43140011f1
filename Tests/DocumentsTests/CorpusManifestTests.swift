import DocumentFixtures
import Documents
import Foundation
import Testing

@Suite struct ShortTitleTests {
    @Test func euActsBecomeTheirIdentifierAndDeclaredName() {
        let official = """
            Regulation (EU) 2024/1689 of the European Parliament and of the Council of 13 June 2024 laying down \
            harmonised rules on artificial intelligence and amending Regulations (EC) No 300/2008, (EU) No \
            167/2013 and Directives 2014/90/EU, (EU) 2016/797 and (EU) 2020/1828 (Artificial Intelligence \
            Act)Text with EEA relevance.
            """
        #expect(ShortTitle.derive(official) == "Regulation (EU) 2024/1689 (Artificial Intelligence Act)")
        #expect(
            ShortTitle.derive("REGULATION (EU) 2016/679 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL OF 27 APRIL 2016")
                == "Regulation (EU) 2016/679")
    }

    @Test func shortTitlesStayAndLongOnesAreCutAtABoundary() {
        #expect(ShortTitle.derive("Blueprint for an AI Bill of Rights") == "Blueprint for an AI Bill of Rights")
        let memorandum = """
            Memorandum on Advancing the United States’ Leadership in Artificial Intelligence; Harnessing \
            Artificial Intelligence to Fulfill National Security Objectives
            """
        #expect(
            ShortTitle.derive(memorandum)
                == "Memorandum on Advancing the United States’ Leadership in Artificial Intelligence")
        let long = String(repeating: "word ", count: 40)
        let cut = ShortTitle.derive(long)
        #expect(cut.hasSuffix("…") && cut.count <= ShortTitle.limit && !cut.contains("  "))
    }
}

@Suite struct CorpusManifestTests {
    static func folder(_ manifest: String, files: [String] = ["a.md"]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-manifest-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in files {
            try Data("# A title\n\nSome text about AI governance.\n".utf8).write(
                to: folder.appendingPathComponent(file))
        }
        try Data(manifest.utf8).write(to: folder.appendingPathComponent(CorpusManifest.fileName))
        return folder
    }

    static func failure(_ manifest: String) throws -> IngestError? {
        let folder = try folder(manifest)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try CorpusManifest.load(directory: folder)
            return nil
        } catch {
            return error
        }
    }

    @Test func badManifestsAreTypedErrorsNamingTheProblem() throws {
        let cases: [(String, String)] = [
            ("[1]", "not a JSON object"),
            (#"{"version": 2, "documents": {}}"#, "version must be 1"),
            (#"{"version": 1, "documents": {}, "extra": 1}"#, "unknown key 'extra'"),
            (#"{"version": 1, "documents": {"a.md": {"titel": "x"}}}"#, "unknown key 'titel'"),
            (#"{"version": 1, "documents": {"missing.pdf": {"title": "x"}}}"#, "names missing.pdf"),
            (#"{"version": 1, "documents": {"a.md": {"title": ""}}}"#, "title of a.md must be"),
            (#"{"version": 1, "documents": {"a.md": {"url": "file:///etc/passwd"}}}"#, "https://"),
            (#"{"version": 1, "documents": {"a.md": {"title": "x\u0000y"}}}"#, "control characters"),
        ]
        for (manifest, message) in cases {
            let error = try Self.failure(manifest)
            #expect(error?.code == .badManifest, "\(manifest)")
            #expect(error?.message.contains(message) == true, "\(manifest): \(error?.message ?? "no error")")
        }
    }

    @Test func flagsWinOverTheManifest() throws {
        let folder = try Self.folder(#"{"version": 1, "documents": {"a.md": {"title": "T", "source": "S"}}}"#)
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try #require(try CorpusManifest.load(directory: folder))
        let file = folder.appendingPathComponent("a.md")
        let merged = manifest.options(for: file, DocumentLoader.Options(title: "Given"))
        #expect(merged.title == "Given" && merged.source == "S" && merged.url == nil)
    }

    /// The walk never offers the manifest as a document.
    @Test func theManifestIsNotIngested() throws {
        let folder = try Self.folder(#"{"version": 1, "documents": {}}"#)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try InputCollector.files([folder.path]).map(\.lastPathComponent)
        #expect(files == ["a.md"])
    }

    /// The bundled corpus: every file the quick start ingests has a short title, publisher and URL, and every
    /// entry names a file that is there.
    @Test func theBundledManifestCoversTheCorpus() throws {
        let corpus = Fixtures.root.appendingPathComponent("corpus")
        let manifest = try #require(try CorpusManifest.load(directory: corpus))
        let ingested = try InputCollector.files([corpus.path]).filter {
            $0.deletingLastPathComponent().standardizedFileURL.path == corpus.standardizedFileURL.path
        }
        #expect(ingested.count == 12)
        for file in ingested {
            let entry = manifest.documents[file.lastPathComponent]
            #expect(entry?.title != nil && entry?.source != nil && entry?.url != nil, "\(file.lastPathComponent)")
            #expect((entry?.title?.count ?? 999) <= 100, "\(file.lastPathComponent)")
        }
    }
}
