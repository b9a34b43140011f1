import Foundation

/// Encoding and decoding of the JSON text columns (`metadata`, `heading_path`, `payload`). Keys are sorted so
/// the same value always gives the same text; slashes and non-ASCII stay unescaped for readable rows.
enum JSONColumn {
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError(.invalidInput, "value cannot be stored as JSON")
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String, column: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError(.corrupt, "column \(column) does not hold the expected JSON")
        }
    }
}
