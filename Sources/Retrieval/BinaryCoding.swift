import Foundation

/// Something little-endian binary records are appended to: an in-memory buffer (WAL records) or a
/// buffered file (segments).
protocol BinarySink {
    mutating func append(_ bytes: UnsafeRawBufferPointer) throws
}

extension BinarySink {
    mutating func appendInteger<T: FixedWidthInteger>(_ value: T) throws {
        var little = value.littleEndian
        try withUnsafeBytes(of: &little) { (raw) in try append(raw) }
    }

    mutating func appendString(_ value: String) throws {
        var utf8 = Array(value.utf8)
        try appendInteger(UInt32(utf8.count))
        try utf8.withUnsafeMutableBytes { (raw) in try append(UnsafeRawBufferPointer(raw)) }
    }

    mutating func appendFloats(_ pointer: UnsafePointer<Float>, count: Int) throws {
        try append(UnsafeRawBufferPointer(start: pointer, count: count * 4))
    }
}

/// A growable byte buffer.
struct ByteBuffer: BinarySink {
    var bytes: [UInt8] = []
    mutating func append(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }
}

/// Reads little-endian values from a byte range, refusing reads past the end as a truncated file.
struct ByteReader {
    let base: UnsafeRawPointer
    let count: Int
    let fileName: String
    private(set) var offset = 0

    init(_ buffer: UnsafeRawBufferPointer, fileName: String) {
        // A zero-length buffer may have no base address; any non-null pointer serves since nothing is read.
        base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        count = buffer.count
        self.fileName = fileName
    }

    var remaining: Int { count - offset }

    mutating func bytes(_ length: Int) throws -> UnsafeRawPointer {
        guard length >= 0, length <= remaining else {
            throw RetrievalError(
                .truncatedFile, "\(fileName) ends \(length - remaining) bytes early at offset \(offset)")
        }
        defer { offset += length }
        return base + offset
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        let raw = try bytes(MemoryLayout<T>.size)
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }

    mutating func string() throws -> String {
        let length = Int(try integer(UInt32.self))
        let raw = try bytes(length)
        return String(decoding: UnsafeRawBufferPointer(start: raw, count: length), as: UTF8.self)
    }
}

/// A file written sequentially through a buffer, with a running CRC-32C of everything after `crcStart`.
final class FileSink: BinarySink {
    let fd: Int32
    let path: String
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20
    private(set) var written = 0
    private(set) var crc: UInt32 = 0

    init(creating path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileOps.ioError("create", path) }
        buffer.reserveCapacity(capacity)
    }

    deinit { close(fd) }

    func append(_ raw: UnsafeRawBufferPointer) throws {
        crc = CRC32C.update(crc, raw)
        written += raw.count
        if buffer.count + raw.count > capacity { try flush() }
        if raw.count >= capacity {
            try FileOps.writeAll(fd, raw, path: path)
        } else {
            buffer.append(contentsOf: raw)
        }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { (raw) in try FileOps.writeAll(fd, raw, path: path) }
        buffer.removeAll(keepingCapacity: true)
    }
}
