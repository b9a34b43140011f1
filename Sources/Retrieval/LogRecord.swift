/// One acknowledged write as the write-ahead log stores it.
enum LogOperation: Equatable {
    case upsert([IndexRecord])
    case delete([String])

    private static let upsertCode: UInt8 = 1
    private static let deleteCode: UInt8 = 2
    /// An upsert whose records carry window vectors: each record's vector is followed by a `UInt16` count and
    /// that many vectors. A batch without windows is written as a plain upsert, byte for byte as before
    /// windows existed, so logs written by earlier versions read unchanged.
    private static let upsertWithWindowsCode: UInt8 = 3
    /// An upsert whose records carry a citation (``IndexRecord/citation``): after the section, each record has its
    /// citation string; after the vector, its windows as in code 3. Written only when a record has a citation, so
    /// logs without one read as before, and earlier versions refuse what they could not read.
    private static let upsertWithCitationsCode: UInt8 = 4

    func encoded(dimension: Int) throws -> [UInt8] {
        var buffer = ByteBuffer()
        switch self {
        case .upsert(let records):
            let cited = records.contains { !$0.citation.isEmpty }
            let windowed = cited || records.contains { !$0.windows.isEmpty }
            try buffer.appendInteger(
                cited ? Self.upsertWithCitationsCode : windowed ? Self.upsertWithWindowsCode : Self.upsertCode)
            try buffer.appendInteger(UInt32(records.count))
            for record in records {
                try buffer.appendString(record.id)
                try buffer.appendString(record.text)
                try buffer.appendString(record.documentID)
                try buffer.appendString(record.source)
                try buffer.appendString(record.docType)
                try buffer.appendString(record.section)
                if cited { try buffer.appendString(record.citation) }
                precondition(record.vector.count == dimension, "validated before logging")
                try record.vector.withUnsafeBufferPointer { try buffer.appendFloats($0.baseAddress!, count: dimension) }
                guard windowed else { continue }
                precondition(record.windows.count <= Int(UInt16.max), "windows per record fit a UInt16")
                try buffer.appendInteger(UInt16(record.windows.count))
                for window in record.windows {
                    precondition(window.count == dimension, "validated before logging")
                    try window.withUnsafeBufferPointer { try buffer.appendFloats($0.baseAddress!, count: dimension) }
                }
            }
        case .delete(let ids):
            try buffer.appendInteger(Self.deleteCode)
            try buffer.appendInteger(UInt32(ids.count))
            for id in ids { try buffer.appendString(id) }
        }
        return buffer.bytes
    }

    static func decode(_ reader: inout ByteReader, dimension: Int) throws -> LogOperation {
        let code = try reader.integer(UInt8.self)
        let count = Int(try reader.integer(UInt32.self))
        switch code {
        case upsertCode, upsertWithWindowsCode, upsertWithCitationsCode:
            func readVector() throws -> [Float] {
                let raw = try reader.bytes(dimension * 4)
                return (0..<dimension).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            }
            var records: [IndexRecord] = []
            for _ in 0..<count {
                let id = try reader.string()
                let text = try reader.string()
                let documentID = try reader.string()
                let source = try reader.string()
                let docType = try reader.string()
                let section = try reader.string()
                let citation = code == upsertWithCitationsCode ? try reader.string() : ""
                let vector = try readVector()
                var windows: [[Float]] = []
                if code == upsertWithWindowsCode || code == upsertWithCitationsCode {
                    for _ in 0..<Int(try reader.integer(UInt16.self)) { windows.append(try readVector()) }
                }
                records.append(
                    IndexRecord(
                        id: id, vector: vector, text: text, documentID: documentID, source: source, docType: docType,
                        section: section, windows: windows, citation: citation))
            }
            return .upsert(records)
        case deleteCode:
            var ids: [String] = []
            for _ in 0..<count { ids.append(try reader.string()) }
            return .delete(ids)
        default:
            throw RetrievalError(.checksumMismatch, "\(reader.fileName): unknown log operation \(code)")
        }
    }
}
