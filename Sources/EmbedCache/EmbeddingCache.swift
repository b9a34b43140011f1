import Crypto
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A persistent map from (model fingerprint, SHA-256 of the exact text) to a float32 vector.
///
/// One append-only file per model fingerprint in the cache directory. After a 128-byte header
/// (`AIGOVEMB`, format version, dimension, fingerprint) come fixed-size records:
/// `key (32 bytes) | vector (dimension x float32 LE) | CRC-32 of key and vector`.
/// Fixed-size, checksummed records make every failure detectable: a torn tail (size not a whole number of
/// records) is cut off by the next writer, and a record whose checksum fails is never returned. Writers
/// append under an exclusive `flock` and `fdatasync` before returning, so a stored vector survives a crash;
/// readers never lock and pick up other processes' appends when they miss.
public final class EmbeddingCache: Sendable {
    /// A cache key: the SHA-256 of a text's UTF-8 bytes.
    public struct Key: Hashable, Sendable {
        let a: UInt64, b: UInt64, c: UInt64, d: UInt64

        /// The key of `text`.
        public init(text: String) {
            let digest = SHA256.hash(data: Data(text.utf8))
            self = digest.withUnsafeBytes { Key(raw: UnsafeRawBufferPointer($0)) }
        }

        init(raw: UnsafeRawBufferPointer) {
            a = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            b = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            c = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
            d = raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        }
    }

    /// Counters since this instance was opened.
    public struct Statistics: Sendable, Equatable {
        public var entries: Int
        public var hits: Int
        public var misses: Int
        /// Records skipped because their checksum failed.
        public var corrupt: Int
    }

    public let fingerprint: String
    public let dimension: Int
    public let fileURL: URL

    private static let magic = Array("AIGOVEMB".utf8)
    private static let version: UInt32 = 1
    private static let headerSize = 128

    private struct State {
        var index: [Key: Int] = [:]  // key -> record number
        var scannedBytes: Int  // file bytes already folded into `index`
    }

    private let descriptor: Int32
    private let recordSize: Int
    private let state: Mutex<State>
    /// `flock` excludes other processes only: threads of this process share one open file description, so
    /// they also take this lock around every append and re-scan.
    private let fileAccess = Mutex(())
    private let hitCount = Atomic<Int>(0)
    private let missCount = Atomic<Int>(0)
    private let corruptCount = Atomic<Int>(0)

    /// Opens (creating if needed) the cache for `fingerprint` in `directory`.
    public init(directory: URL, fingerprint: String, dimension: Int) throws {
        guard dimension > 0, !fingerprint.isEmpty, fingerprint.utf8.count <= 96 else {
            throw EmbedError(.cacheMismatch, "invalid cache parameters: dimension \(dimension)")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EmbedError(.cacheIO, "cannot create the embedding cache directory \(directory.path)")
        }
        let safeName = String(fingerprint.filter { $0.isLetter || $0.isNumber }.prefix(32))
        fileURL = directory.appendingPathComponent("\(safeName)-\(dimension).vec")
        self.fingerprint = fingerprint
        self.dimension = dimension
        recordSize = 32 + dimension * 4 + 4
        let fd = open(fileURL.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw EmbedError(.cacheIO, "cannot open \(fileURL.path): \(String(cString: strerror(errno)))")
        }
        descriptor = fd
        state = Mutex(State(scannedBytes: Self.headerSize))
        do {
            try withFileLock(LOCK_EX) {
                var info = stat()
                guard fstat(fd, &info) == 0 else { throw ioError("stat") }
                // A file shorter than a header is one whose creator died before writing it: start afresh.
                if info.st_size < Self.headerSize {
                    try writeHeader()
                } else {
                    try checkHeader()
                }
                try catchUp(repairTail: true)
            }
        } catch {
            close(fd)
            throw error
        }
    }

    deinit {
        close(descriptor)
    }

    /// Hit, miss and size counters.
    public var statistics: Statistics {
        Statistics(
            entries: state.withLock { $0.index.count }, hits: hitCount.load(ordering: .relaxed),
            misses: missCount.load(ordering: .relaxed), corrupt: corruptCount.load(ordering: .relaxed))
    }

    /// The cached vector of each key, or nil. Counts hits and misses.
    public func lookup(_ keys: [Key]) throws -> [[Float]?] {
        var records = state.withLock { s in keys.map { s.index[$0] } }
        if records.contains(where: { $0 == nil }) {
            // Another process may have appended since we last looked.
            if try refreshIfGrown() {
                records = state.withLock { s in keys.map { s.index[$0] } }
            }
        }
        var out: [[Float]?] = []
        out.reserveCapacity(keys.count)
        var hits = 0
        for (key, record) in zip(keys, records) {
            if let record, let vector = try read(record: record, expecting: key) {
                out.append(vector)
                hits += 1
            } else {
                out.append(nil)
            }
        }
        hitCount.add(hits, ordering: .relaxed)
        missCount.add(keys.count - hits, ordering: .relaxed)
        return out
    }

    /// Stores `vectors` under `keys` (pairs already present are left alone) and makes them durable before
    /// returning.
    public func store(_ keys: [Key], _ vectors: [[Float]]) throws {
        precondition(keys.count == vectors.count, "one vector per key")
        for vector in vectors where vector.count != dimension {
            throw EmbedError(.cacheMismatch, "vector of dimension \(vector.count) for a \(dimension)-dimension cache")
        }
        guard !keys.isEmpty else { return }
        try fileAccess.withLock { _ in try withFileLock(LOCK_EX) { try append(keys, vectors) } }
    }

    /// Appends the pairs not yet present; the caller holds both locks.
    private func append(_ keys: [Key], _ vectors: [[Float]]) throws {
        try catchUp(repairTail: true)
        let present = state.withLock { s in Set(keys.filter { s.index[$0] != nil }) }
        var seen = present
        var buffer: [UInt8] = []
        var added: [Key] = []
        for (key, vector) in zip(keys, vectors) where !seen.contains(key) {
            seen.insert(key)
            added.append(key)
            appendRecord(key: key, vector: vector, to: &buffer)
        }
        guard !added.isEmpty else { return }
        // After catchUp under both locks the file ends on a record boundary and nobody else is writing.
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ioError("stat") }
        let start = Int(info.st_size)
        let written = buffer.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(start)) }
        guard written == buffer.count else {
            // Leave no partial record behind for the next reader to trip over.
            _ = ftruncate(descriptor, off_t(start))
            throw ioError("write")
        }
        guard fdatasync(descriptor) == 0 else { throw ioError("fdatasync") }
        state.withLock { s in
            let first = (start - Self.headerSize) / recordSize
            for (offset, key) in added.enumerated() { s.index[key] = first + offset }
            s.scannedBytes = start + buffer.count
        }
    }

    // MARK: - File format

    private func appendRecord(key: Key, vector: [Float], to buffer: inout [UInt8]) {
        let start = buffer.count
        withUnsafeBytes(of: key) { buffer.append(contentsOf: $0) }
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { buffer.append(contentsOf: $0) } }
        let crc = buffer.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        withUnsafeBytes(of: crc.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func headerBytes() -> [UInt8] {
        var header = Self.magic
        withUnsafeBytes(of: Self.version.littleEndian) { header.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(dimension).littleEndian) { header.append(contentsOf: $0) }
        header.append(UInt8(fingerprint.utf8.count))
        header.append(contentsOf: fingerprint.utf8)
        header.append(contentsOf: [UInt8](repeating: 0, count: Self.headerSize - header.count))
        return header
    }

    private func writeHeader() throws {
        let header = headerBytes()
        guard ftruncate(descriptor, 0) == 0,
            header.withUnsafeBytes({ pwrite(descriptor, $0.baseAddress, $0.count, 0) }) == header.count,
            fsync(descriptor) == 0
        else { throw ioError("write header of") }
    }

    private func checkHeader() throws {
        var header = [UInt8](repeating: 0, count: Self.headerSize)
        let count = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count == Self.headerSize, Array(header[0..<8]) == Self.magic else {
            throw EmbedError(.cacheMismatch, "\(fileURL.path) is not an aigov embedding cache")
        }
        guard header == headerBytes() else {
            throw EmbedError(
                .cacheMismatch,
                "\(fileURL.path) was written by another cache version, model or dimension (expected version "
                    + "\(Self.version), dimension \(dimension)); move it away to start a fresh cache")
        }
    }

    /// Folds records appended since the last scan into the index. With `repairTail` (caller holds the
    /// exclusive lock, so no writer is mid-append) a partial trailing record is cut off.
    private func catchUp(repairTail: Bool) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ioError("stat") }
        let size = Int(info.st_size)
        let from = state.withLock { $0.scannedBytes }
        let whole = from + (size - from) / recordSize * recordSize
        if repairTail && whole < size {
            guard ftruncate(descriptor, off_t(whole)) == 0 else { throw ioError("truncate") }
        }
        guard whole > from else { return }
        let chunkRecords = max(1, (4 << 20) / recordSize)
        var buffer = [UInt8](repeating: 0, count: chunkRecords * recordSize)
        var offset = from
        var found: [(Key, Int)] = []
        while offset < whole {
            let length = min(buffer.count, whole - offset)
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, off_t(offset)) }
            guard got == length else { throw ioError("read") }
            buffer.withUnsafeBytes { raw in
                var position = 0
                while position < length {
                    let record = UnsafeRawBufferPointer(rebasing: raw[position..<(position + recordSize)])
                    if let key = verifiedKey(record) {
                        found.append((key, (offset + position - Self.headerSize) / recordSize))
                    } else {
                        corruptCount.add(1, ordering: .relaxed)
                    }
                    position += recordSize
                }
            }
            offset += length
        }
        state.withLock { s in
            for (key, record) in found where s.index[key] == nil { s.index[key] = record }
            s.scannedBytes = max(s.scannedBytes, whole)
        }
    }

    private func refreshIfGrown() throws -> Bool {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ioError("stat") }
        let scanned = state.withLock { $0.scannedBytes }
        guard Int(info.st_size) >= scanned + recordSize else { return false }
        try fileAccess.withLock { _ in try withFileLock(LOCK_SH) { try catchUp(repairTail: false) } }
        return true
    }

    private func verifiedKey(_ record: UnsafeRawBufferPointer) -> Key? {
        let body = UnsafeRawBufferPointer(rebasing: record[0..<(recordSize - 4)])
        let stored = UInt32(littleEndian: record.loadUnaligned(fromByteOffset: recordSize - 4, as: UInt32.self))
        guard CRC32.checksum(body) == stored else { return nil }
        return Key(raw: record)
    }

    private func read(record: Int, expecting key: Key) throws -> [Float]? {
        var bytes = [UInt8](repeating: 0, count: recordSize)
        let offset = Self.headerSize + record * recordSize
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, recordSize, off_t(offset)) }
        guard got == recordSize else { throw ioError("read") }
        return bytes.withUnsafeBytes { raw -> [Float]? in
            guard let stored = verifiedKey(raw), stored == key else {
                corruptCount.add(1, ordering: .relaxed)
                return nil
            }
            return (0..<dimension).map {
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 32 + $0 * 4, as: UInt32.self)))
            }
        }
    }

    private func withFileLock<T>(_ operation: Int32, _ body: () throws -> T) throws -> T {
        while flock(descriptor, operation) != 0 {
            guard errno == EINTR else { throw ioError("lock") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    private func ioError(_ action: String) -> EmbedError {
        EmbedError(.cacheIO, "cannot \(action) \(fileURL.path): \(String(cString: strerror(errno)))")
    }
}
