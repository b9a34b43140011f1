import Foundation
import TextAnalysis

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The on-disk form of an index (ARCHITECTURE.md section 2): a directory holding
/// - `MANIFEST`: JSON naming the live snapshot segment and write-ahead log, replaced only by an atomic
///   rename, so it always names a complete, fsynced state;
/// - `segment-<generation>.seg`: a snapshot (header with checksum, then graph and records), written once to a
///   new file and never modified;
/// - `wal-<generation>.log`: the writes acknowledged since that snapshot, one checksummed record each,
///   fsynced before the write is acknowledged.
///
/// A crash at any instant leaves either the old manifest (old segment + old log, which holds every
/// acknowledged write) or the new one (new segment holding them all + an empty log). A torn record at the
/// end of the log is the one write that was never acknowledged, and is dropped.
///
/// Window vectors (`IndexRecord.windows`) came later without a version change: a segment marks a record that
/// has them with flag 2 instead of 1, a log writes a batch that has them with upsert code 3 instead of 1. Files
/// from before windows hold neither and read as they always did; files with them are refused by earlier
/// versions (an unknown flag or code reads as corruption), which is why they appear only where windows do.
/// Citations (`IndexRecord.citation`) came the same way: segment flag 3 (a record with its citation after the
/// section, then windows as flag 2 has them, possibly none), log upsert code 4.
final class IndexDirectory {
    static let formatVersion: UInt32 = 1
    static let segmentMagic = Array("AIGOVSEG".utf8)
    static let logMagic = Array("AIGOVWAL".utf8)
    static let segmentHeaderSize = 36
    static let logHeaderSize = 28

    struct Manifest: Codable {
        var formatVersion: UInt32
        var dimension: Int
        var metric: Metric
        var generation: UInt64
        var segment: String?
        var segmentBytes: Int?
        var log: String

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version"
            case dimension, metric, generation, segment
            case segmentBytes = "segment_bytes"
            case log
        }
    }

    let path: String
    let configuration: IndexConfiguration
    private(set) var manifest: Manifest
    private var logFD: Int32 = -1
    private(set) var logBytes = 0

    private init(path: String, configuration: IndexConfiguration, manifest: Manifest) {
        self.path = path
        self.configuration = configuration
        self.manifest = manifest
    }

    deinit { if logFD >= 0 { close(logFD) } }

    private func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    private var manifestPath: String { file("MANIFEST") }
    private func hook(_ point: WritePoint) { configuration.writePointHook?(point) }

    // MARK: - Opening

    /// Opens or creates the index in `path`: returns the directory, the snapshot state and the logged
    /// operations to replay on top of it.
    static func open(path: String, configuration: IndexConfiguration) throws -> (
        IndexDirectory, IndexState, [LogOperation]
    ) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RetrievalError(.io, "cannot create \(path): \(error.localizedDescription)")
        }
        let manifestPath = (path as NSString).appendingPathComponent("MANIFEST")
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            let directory = try create(path: path, configuration: configuration)
            return (directory, IndexState(configuration: configuration), [])
        }
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw RetrievalError(.io, "cannot read \(manifestPath)")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw RetrievalError(.corruptManifest, "\(manifestPath) cannot be parsed: \(error)")
        }
        guard manifest.formatVersion == formatVersion else {
            throw RetrievalError(
                .unsupportedVersion,
                "\(manifestPath) has format version \(manifest.formatVersion), expected \(formatVersion)")
        }
        guard manifest.dimension == configuration.dimension, manifest.metric == configuration.metric else {
            throw RetrievalError(
                .configurationMismatch,
                "\(path) holds \(manifest.dimension)-dimensional \(manifest.metric.rawValue) vectors; asked for "
                    + "\(configuration.dimension)-dimensional \(configuration.metric.rawValue)")
        }
        for name in [manifest.segment, manifest.log].compactMap({ $0 }) where name.contains("/") || name.hasPrefix(".")
        {
            throw RetrievalError(.corruptManifest, "\(manifestPath) names an invalid file '\(name)'")
        }
        let directory = IndexDirectory(path: path, configuration: configuration, manifest: manifest)
        let state: IndexState
        if let segment = manifest.segment {
            state = try directory.readSegment(segment, expectedBytes: manifest.segmentBytes)
        } else {
            state = IndexState(configuration: configuration)
        }
        let operations = try directory.openLog(manifest.log, generation: manifest.generation)
        directory.removeUnreferencedFiles()
        return (directory, state, operations)
    }

    private static func create(path: String, configuration: IndexConfiguration) throws -> IndexDirectory {
        let manifest = Manifest(
            formatVersion: formatVersion, dimension: configuration.dimension, metric: configuration.metric,
            generation: 1, segment: nil, segmentBytes: nil, log: "wal-1.log")
        let directory = IndexDirectory(path: path, configuration: configuration, manifest: manifest)
        directory.removeUnreferencedFiles(keepingManifest: false)
        directory.logFD = try directory.createLog(manifest.log, generation: 1)
        directory.logBytes = logHeaderSize
        try FileOps.syncDirectory(path)
        try directory.writeManifest(manifest)
        return directory
    }

    /// Deletes files of ours the manifest does not name: leftovers of a snapshot that crashed before its
    /// manifest rename, or of one whose old files were not yet removed.
    private func removeUnreferencedFiles(keepingManifest: Bool = true) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let live: Set<String> = keepingManifest ? Set([manifest.segment, manifest.log].compactMap { $0 }) : []
        for name in names where !live.contains(name) {
            let ours =
                (name.hasPrefix("segment-") && name.hasSuffix(".seg"))
                || (name.hasPrefix("wal-") && name.hasSuffix(".log"))
                || name == "MANIFEST.tmp"
            if ours { unlink(file(name)) }
        }
    }

    private func writeManifest(_ manifest: Manifest) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(manifest) } catch {
            throw RetrievalError(.io, "cannot encode manifest: \(error)")
        }
        try FileOps.atomicReplace(manifestPath, with: Array(data) + [0x0A]) { hook(.beforeManifestRename) }
        self.manifest = manifest
    }

    // MARK: - Write-ahead log

    private func logHeader(generation: UInt64) -> [UInt8] {
        var header = ByteBuffer()
        header.bytes = Self.logMagic
        try? header.appendInteger(Self.formatVersion)
        try? header.appendInteger(UInt32(configuration.dimension))
        try? header.appendInteger(generation)
        let crc = CRC32C.checksum(header.bytes)
        try? header.appendInteger(crc)
        return header.bytes
    }

    private func createLog(_ name: String, generation: UInt64) throws -> Int32 {
        let logPath = file(name)
        let fd = FileOps.openFile(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileOps.ioError("create", logPath) }
        do {
            try logHeader(generation: generation).withUnsafeBytes { try FileOps.writeAll(fd, $0, path: logPath) }
            try FileOps.sync(fd, path: logPath)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Reads the log's records; drops a torn tail (truncating the file to its last whole record) and
    /// refuses damage anywhere else.
    private func openLog(_ name: String, generation: UInt64) throws -> [LogOperation] {
        let logPath = file(name)
        let (operations, validBytes, fileBytes) = try Self.readLog(
            path: logPath, dimension: configuration.dimension, generation: generation)
        let fd = FileOps.openFile(logPath, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw FileOps.ioError("open", logPath) }
        if validBytes < fileBytes {
            guard ftruncate(fd, off_t(validBytes)) == 0 else {
                close(fd)
                throw FileOps.ioError("truncate", logPath)
            }
            try FileOps.sync(fd, path: logPath)
        }
        logFD = fd
        logBytes = validBytes
        return operations
    }

    /// Parses a log file: its operations, the length of its valid prefix and its size.
    static func readLog(path: String, dimension: Int, generation: UInt64) throws -> ([LogOperation], Int, Int) {
        let mapped = try MappedFile(path)
        var reader = ByteReader(mapped.bytes, fileName: path)
        guard mapped.size >= logHeaderSize else {
            throw RetrievalError(.truncatedFile, "\(path) is \(mapped.size) bytes, shorter than its header")
        }
        let magic = Array(UnsafeRawBufferPointer(start: try reader.bytes(8), count: 8))
        guard magic == logMagic else { throw RetrievalError(.notAnIndexFile, "\(path) is not an index log") }
        let version = try reader.integer(UInt32.self)
        let fileDimension = Int(try reader.integer(UInt32.self))
        let fileGeneration = try reader.integer(UInt64.self)
        let storedCRC = try reader.integer(UInt32.self)
        guard CRC32C.update(0, UnsafeRawBufferPointer(start: mapped.bytes.baseAddress, count: 24)) == storedCRC else {
            throw RetrievalError(.checksumMismatch, "\(path): header checksum mismatch")
        }
        guard version == formatVersion else {
            throw RetrievalError(
                .unsupportedVersion, "\(path) has format version \(version), expected \(formatVersion)")
        }
        guard fileDimension == dimension else {
            throw RetrievalError(
                .configurationMismatch, "\(path) holds \(fileDimension)-dimensional vectors, expected \(dimension)")
        }
        guard fileGeneration == generation else {
            throw RetrievalError(
                .corruptManifest, "\(path) belongs to generation \(fileGeneration), manifest says \(generation)")
        }
        var operations: [LogOperation] = []
        while reader.remaining > 0 {
            let start = reader.offset
            // A record that does not fit, or fails its checksum as the very last thing in the file, is a write
            // cut short by a crash (never acknowledged). Anything else is damage to acknowledged data.
            func tailIsTorn(recordEnd: Int) -> Bool {
                if recordEnd >= mapped.size { return true }
                let rest = UnsafeRawBufferPointer(rebasing: mapped.bytes[start...])
                return rest.allSatisfy { $0 == 0 }
            }
            guard reader.remaining >= 8 else { return (operations, start, mapped.size) }
            let length = Int(try reader.integer(UInt32.self))
            let crc = try reader.integer(UInt32.self)
            guard length > 0, length <= reader.remaining else {
                if tailIsTorn(recordEnd: start + 8 + length) || length == 0 && tailIsTorn(recordEnd: mapped.size) {
                    return (operations, start, mapped.size)
                }
                throw RetrievalError(.checksumMismatch, "\(path): invalid record length at offset \(start)")
            }
            let payload = UnsafeRawBufferPointer(start: try reader.bytes(length), count: length)
            guard CRC32C.update(0, payload) == crc else {
                if tailIsTorn(recordEnd: start + 8 + length) { return (operations, start, mapped.size) }
                throw RetrievalError(.checksumMismatch, "\(path): record checksum mismatch at offset \(start)")
            }
            var recordReader = ByteReader(payload, fileName: path)
            operations.append(try LogOperation.decode(&recordReader, dimension: dimension))
        }
        return (operations, mapped.size, mapped.size)
    }

    /// Appends one operation and fsyncs it; when this returns, the operation survives a crash.
    func append(_ operation: LogOperation) throws {
        let payload = try operation.encoded(dimension: configuration.dimension)
        var frame = ByteBuffer()
        try frame.appendInteger(UInt32(payload.count))
        try frame.appendInteger(CRC32C.checksum(payload))
        frame.bytes += payload
        let logPath = file(manifest.log)
        do {
            try frame.bytes.withUnsafeBytes { raw in
                if configuration.writePointHook != nil {
                    let half = raw.count / 2
                    try FileOps.writeAll(logFD, UnsafeRawBufferPointer(rebasing: raw[..<half]), path: logPath)
                    hook(.midLogAppend)
                    try FileOps.writeAll(logFD, UnsafeRawBufferPointer(rebasing: raw[half...]), path: logPath)
                } else {
                    try FileOps.writeAll(logFD, raw, path: logPath)
                }
            }
            guard fdatasync(logFD) == 0 else { throw FileOps.ioError("fdatasync", logPath) }
        } catch {
            // Cut a partial record off so that later appends do not follow garbage.
            _ = ftruncate(logFD, off_t(logBytes))
            throw error
        }
        logBytes += frame.bytes.count
        hook(.afterLogSync)
    }

    // MARK: - Snapshots

    /// Writes `state` as a new segment with an empty log and makes it live by replacing the manifest.
    func checkpoint(_ state: IndexState) throws {
        let generation = manifest.generation + 1
        let segmentName = "segment-\(generation).seg"
        let logName = "wal-\(generation).log"
        let segmentBytes: Int
        let newLogFD: Int32
        do {
            segmentBytes = try writeSegment(segmentName, state: state)
            newLogFD = try createLog(logName, generation: generation)
        } catch {
            unlink(file(segmentName))
            unlink(file(logName))
            throw error
        }
        do {
            try FileOps.syncDirectory(path)
            hook(.afterSegmentSync)
            let old = manifest
            try writeManifest(
                Manifest(
                    formatVersion: Self.formatVersion, dimension: configuration.dimension, metric: configuration.metric,
                    generation: generation, segment: segmentName, segmentBytes: segmentBytes, log: logName))
            hook(.afterManifestRename)
            close(logFD)
            logFD = newLogFD
            logBytes = Self.logHeaderSize
            if let oldSegment = old.segment { unlink(file(oldSegment)) }
            unlink(file(old.log))
        } catch {
            close(newLogFD)
            throw error
        }
    }

    private func writeSegment(_ name: String, state: IndexState) throws -> Int {
        let segmentPath = file(name)
        let sink = try FileSink(creating: segmentPath)
        // The header goes in last (it holds the payload checksum); reserve its bytes now.
        try [UInt8](repeating: 0, count: Self.segmentHeaderSize).withUnsafeBytes {
            try FileOps.writeAll(sink.fd, $0, path: segmentPath)
        }
        var writer = sink
        try state.graph.write(to: &writer)
        if configuration.writePointHook != nil {
            try sink.flush()
            hook(.midSegmentWrite)
        }
        try writer.appendInteger(UInt64(state.fields.count))
        for fields in state.fields {
            guard let fields else {
                try writer.appendInteger(UInt8(0))
                continue
            }
            // 1: a record; 2: a record followed by its window vectors (count, then the floats); 3: a record, its
            // citation, then its windows as in 2 (a count of 0 when it has none). Segments written before windows
            // existed hold only 0 and 1 and read unchanged.
            let flag: UInt8 = !fields.citation.isEmpty ? 3 : fields.windows.isEmpty ? 1 : 2
            try writer.appendInteger(flag)
            for value in [fields.id, fields.text, fields.documentID, fields.source, fields.docType, fields.section] {
                try writer.appendString(value)
            }
            if flag == 3 { try writer.appendString(fields.citation) }
            if flag >= 2 {
                try writer.appendInteger(UInt32(fields.windows.count / configuration.dimension))
                if !fields.windows.isEmpty {
                    try fields.windows.withUnsafeBufferPointer {
                        try writer.appendFloats($0.baseAddress!, count: $0.count)
                    }
                }
            }
        }
        try sink.flush()
        var header = ByteBuffer()
        header.bytes = Self.segmentMagic
        try header.appendInteger(Self.formatVersion)
        try header.appendInteger(UInt32(configuration.dimension))
        try header.appendInteger(UInt32(configuration.metric == .cosine ? 0 : 1))
        try header.appendInteger(UInt64(sink.written))
        try header.appendInteger(sink.crc)
        try header.appendInteger(CRC32C.checksum(header.bytes))
        try FileOps.pwriteAll(sink.fd, header.bytes, at: 0, path: segmentPath)
        try FileOps.sync(sink.fd, path: segmentPath)
        return Self.segmentHeaderSize + sink.written
    }

    /// Checks a segment's header and checksum; returns the mapping and the payload range.
    static func checkSegment(path: String, dimension: Int, metric: Metric, expectedBytes: Int?) throws -> (
        MappedFile, UnsafeRawBufferPointer
    ) {
        let mapped = try MappedFile(path)
        guard mapped.size >= segmentHeaderSize else {
            throw RetrievalError(.truncatedFile, "\(path) is \(mapped.size) bytes, shorter than its header")
        }
        var reader = ByteReader(mapped.bytes, fileName: path)
        let magic = Array(UnsafeRawBufferPointer(start: try reader.bytes(8), count: 8))
        guard magic == segmentMagic else { throw RetrievalError(.notAnIndexFile, "\(path) is not an index segment") }
        let version = try reader.integer(UInt32.self)
        let fileDimension = Int(try reader.integer(UInt32.self))
        let metricCode = try reader.integer(UInt32.self)
        let payloadBytes = Int(try reader.integer(UInt64.self))
        let payloadCRC = try reader.integer(UInt32.self)
        let headerCRC = try reader.integer(UInt32.self)
        guard CRC32C.update(0, UnsafeRawBufferPointer(start: mapped.bytes.baseAddress, count: 32)) == headerCRC else {
            throw RetrievalError(.checksumMismatch, "\(path): header checksum mismatch")
        }
        guard version == formatVersion else {
            throw RetrievalError(
                .unsupportedVersion, "\(path) has format version \(version), expected \(formatVersion)")
        }
        guard fileDimension == dimension, metricCode == (metric == .cosine ? 0 : 1) else {
            throw RetrievalError(
                .configurationMismatch, "\(path) holds \(fileDimension)-dimensional vectors (metric code \(metricCode))"
            )
        }
        guard mapped.size >= segmentHeaderSize + payloadBytes, expectedBytes.map({ mapped.size >= $0 }) ?? true else {
            throw RetrievalError(
                .truncatedFile, "\(path) is \(mapped.size) bytes, expected \(segmentHeaderSize + payloadBytes)")
        }
        let payload = UnsafeRawBufferPointer(
            rebasing: mapped.bytes[segmentHeaderSize..<(segmentHeaderSize + payloadBytes)])
        guard CRC32C.update(0, payload) == payloadCRC else {
            throw RetrievalError(.checksumMismatch, "\(path): payload checksum mismatch")
        }
        return (mapped, payload)
    }

    private func readSegment(_ name: String, expectedBytes: Int?) throws -> IndexState {
        let segmentPath = file(name)
        let (mapped, payload) = try Self.checkSegment(
            path: segmentPath, dimension: configuration.dimension, metric: configuration.metric,
            expectedBytes: expectedBytes)
        var reader = ByteReader(payload, fileName: segmentPath)
        let graph = try HNSWIndex.read(from: &reader)
        let state = IndexState(configuration: configuration, graph: graph)
        let labelCount = Int(try reader.integer(UInt64.self))
        guard labelCount == graph.count else {
            throw RetrievalError(
                .checksumMismatch, "\(segmentPath): \(labelCount) records for \(graph.count) graph rows")
        }
        let tokenizer = Tokenizer(stemming: configuration.stemming)
        for label in 0..<labelCount {
            let present = try reader.integer(UInt8.self)
            guard (1...3).contains(present) else {
                guard present == 0, graph.isDeleted(UInt32(label)) else {
                    throw RetrievalError(.checksumMismatch, "\(segmentPath): record \(label) disagrees with the graph")
                }
                continue
            }
            var fields = StoredFields(
                id: try reader.string(), text: try reader.string(), documentID: try reader.string(),
                source: try reader.string(), docType: try reader.string(), section: try reader.string())
            if present == 3 { fields.citation = try reader.string() }
            if present >= 2 {
                let count = Int(try reader.integer(UInt32.self)) * configuration.dimension
                let raw = try reader.bytes(count * 4)
                fields.windows = (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            }
            guard !graph.isDeleted(UInt32(label)) else {
                throw RetrievalError(.checksumMismatch, "\(segmentPath): record \(label) is deleted in the graph")
            }
            state.register(label: UInt32(label), fields: fields, tokens: tokenizer.tokens(fields.text))
        }
        withExtendedLifetime(mapped) {}
        return state
    }

    /// Re-reads the live files and checks their checksums; returns the segment size and log record count.
    func verifyFiles() throws -> (segmentBytes: Int, logRecords: Int) {
        var segmentBytes = 0
        if let segment = manifest.segment {
            let (mapped, _) = try Self.checkSegment(
                path: file(segment), dimension: configuration.dimension, metric: configuration.metric,
                expectedBytes: manifest.segmentBytes)
            segmentBytes = mapped.size
        }
        let (operations, valid, size) = try Self.readLog(
            path: file(manifest.log), dimension: configuration.dimension, generation: manifest.generation)
        guard valid == size, valid == logBytes else {
            throw RetrievalError(.verificationFailed, "\(manifest.log) holds \(size) bytes, \(logBytes) were written")
        }
        return (segmentBytes, operations.count)
    }
}
