import Foundation

/// Reads tensors from a `.safetensors` file: an 8-byte little-endian header length, a JSON header mapping
/// each tensor name to `{dtype, shape, data_offsets}`, then the raw little-endian data.
///
/// Only the header is read up front; `floats(_:shape:)` reads one tensor at a time, so loading never holds
/// the file and the converted weights in memory together.
struct SafeTensorsFile {
    struct TensorInfo {
        let dtype: String
        let shape: [Int]
        /// Byte range relative to the start of the data section.
        let range: Range<Int>
    }

    let url: URL
    let tensors: [String: TensorInfo]
    private let dataStart: Int
    private let fileSize: Int

    init(url: URL) throws {
        self.url = url
        let path = url.path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw EmbedError(.modelFileMissing, "cannot open \(path): expected model.safetensors")
        }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        fileSize = size
        try? handle.seek(toOffset: 0)
        let prefix = (try? handle.read(upToCount: 8)) ?? Data()
        guard prefix.count == 8 else {
            throw EmbedError(.modelFileCorrupt, "\(path) is \(size) bytes: expected a safetensors header")
        }
        let headerLength = prefix.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        guard headerLength > 1, headerLength <= 100_000_000, 8 + headerLength <= size else {
            throw EmbedError(.modelFileCorrupt, "\(path) declares a \(headerLength)-byte header in a \(size)-byte file")
        }
        let header = (try? handle.read(upToCount: headerLength)) ?? Data()
        guard header.count == headerLength,
            let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any]
        else {
            throw EmbedError(.modelFileCorrupt, "\(path): the safetensors header is not a JSON object")
        }
        dataStart = 8 + headerLength
        var tensors: [String: TensorInfo] = [:]
        for (name, value) in object where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
                offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1]
            else {
                throw EmbedError(.modelFileCorrupt, "\(path): tensor \(name) has a malformed header entry")
            }
            guard dataStart + offsets[1] <= size else {
                throw EmbedError(
                    .modelFileCorrupt,
                    "\(path) is truncated: tensor \(name) ends at byte \(dataStart + offsets[1]) of a \(size)-byte file"
                )
            }
            tensors[name] = TensorInfo(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        self.tensors = tensors
    }

    /// The tensor `name` as float32 values in row-major order, checked against `shape`.
    func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let info = tensors[name] else {
            throw EmbedError(.tensorMismatch, "\(url.path) has no tensor \(name)")
        }
        guard info.shape == shape else {
            throw EmbedError(.tensorMismatch, "\(url.path): tensor \(name) has shape \(info.shape), expected \(shape)")
        }
        let count = shape.reduce(1, *)
        let width: Int
        switch info.dtype {
        case "F32": width = 4
        case "F16", "BF16": width = 2
        default:
            throw EmbedError(.tensorMismatch, "\(url.path): tensor \(name) is \(info.dtype), expected F32, F16 or BF16")
        }
        guard info.range.count == count * width else {
            throw EmbedError(
                .modelFileCorrupt,
                "\(url.path): tensor \(name) holds \(info.range.count) bytes, expected \(count * width)")
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw EmbedError(.modelFileMissing, "cannot open \(url.path)")
        }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(dataStart + info.range.lowerBound))
        let bytes = (try? handle.read(upToCount: info.range.count)) ?? Data()
        guard bytes.count == info.range.count else {
            throw EmbedError(.modelFileCorrupt, "\(url.path) is truncated inside tensor \(name)")
        }
        return bytes.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { out, initialized in
                switch width {
                case 4:
                    for i in 0..<count {
                        let bits = raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
                        out[i] = Float(bitPattern: UInt32(littleEndian: bits))
                    }
                default:
                    let brain = info.dtype == "BF16"
                    for i in 0..<count {
                        let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
                        out[i] = brain ? Float(bitPattern: UInt32(bits) << 16) : Float(Float16(bitPattern: bits))
                    }
                }
                initialized = count
            }
        }
    }
}
