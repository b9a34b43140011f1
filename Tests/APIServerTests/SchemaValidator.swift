import Foundation

/// A JSON value as the validator sees it: JSONSerialization on Linux does not tell `true` from `1`, so bodies are
/// decoded with `JSONDecoder`, which does.
indirect enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
}

/// Checks JSON values against the JSON Schema subset `/openapi.json` uses (`$ref`, `allOf`, `anyOf`, `oneOf`,
/// `type` with type lists, `const`, `enum`, `properties`, `required`, `additionalProperties`, `items`, the
/// numeric, length and count bounds, `pattern`), for the contract tests.
///
/// Responses are checked strictly: an object schema that lists `properties` and says nothing of
/// `additionalProperties` accepts no other field, so a field the server adds without documenting it fails. (The
/// keywords that only describe, such as `format`, `description` and `default`, are not checked.) Written for the
/// tests rather than taken from a library: no JSON Schema validator is among the Swift packages the build can
/// reach, and the subset is small.
struct SchemaValidator {
    /// The whole document, for `$ref`s of the form `#/components/schemas/Name`.
    let document: JSONValue

    /// The problems of `value` against `schema`; empty when it conforms. `path` names the place in messages.
    func problems(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        problems(value, schema, at: path, strictObjects: true)
    }

    private func problems(_ value: JSONValue, _ schema: JSONValue, at path: String, strictObjects: Bool) -> [String] {
        let schema = resolved(schema)
        if case .array(let parts) = schema["allOf"] ?? .null {
            // Each part alone would call the others' fields undeclared: check them against the union instead.
            var problems = parts.flatMap { self.problems(value, $0, at: path, strictObjects: false) }
            if strictObjects {
                problems += undeclared(
                    value, allowed: Set(parts.flatMap { declaredProperties(resolved($0)) }), at: path)
            }
            return problems
        }
        for keyword in ["anyOf", "oneOf"] {
            guard case .array(let options) = schema[keyword] ?? .null else { continue }
            let passing = options.filter { self.problems(value, $0, at: path).isEmpty }.count
            if passing == 0 || (keyword == "oneOf" && passing > 1) {
                return ["\(path): matches \(passing) of the \(keyword) schemas"]
            }
        }
        if let types = schema["type"], !Self.types(types).contains(where: { Self.value(value, is: $0) }) {
            return [
                "\(path): \(Self.describe(value)) where the schema says \(Self.types(types).joined(separator: " or "))"
            ]
        }
        var problems: [String] = []
        if let constant = schema["const"], constant != value {
            problems.append("\(path): \(Self.describe(value)) is not the constant \(Self.describe(constant))")
        }
        if case .array(let allowed) = schema["enum"] ?? .null, !allowed.contains(value) {
            problems.append("\(path): \(Self.describe(value)) is not one of \(allowed.map(Self.describe))")
        }
        switch value {
        case .string(let text):
            let length = text.unicodeScalars.count
            if let maximum = Self.number(schema["maxLength"]), Double(length) > maximum {
                problems.append("\(path): \(length) characters, more than maxLength \(Int(maximum))")
            }
            if let minimum = Self.number(schema["minLength"]), Double(length) < minimum {
                problems.append("\(path): \(length) characters, fewer than minLength \(Int(minimum))")
            }
            if let pattern = schema["pattern"]?.string, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \(Self.describe(value)) does not match \(pattern)")
            }
        case .number(let number):
            if let maximum = Self.number(schema["maximum"]), number > maximum {
                problems.append("\(path): \(number) is above the maximum \(maximum)")
            }
            if let minimum = Self.number(schema["minimum"]), number < minimum {
                problems.append("\(path): \(number) is below the minimum \(minimum)")
            }
        case .array(let items):
            if let maximum = Self.number(schema["maxItems"]), Double(items.count) > maximum {
                problems.append("\(path): \(items.count) items, more than maxItems \(Int(maximum))")
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    problems += self.problems(item, itemSchema, at: "\(path)[\(index)]")
                }
            }
        case .object(let object):
            problems += objectProblems(object, schema, at: path, strictObjects: strictObjects)
        case .null, .bool:
            break
        }
        return problems
    }

    private func objectProblems(
        _ object: [String: JSONValue], _ schema: JSONValue, at path: String, strictObjects: Bool
    ) -> [String] {
        var problems: [String] = []
        if case .array(let required) = schema["required"] ?? .null {
            for case .string(let name) in required where object[name] == nil {
                problems.append("\(path): the required field \(name) is missing")
            }
        }
        if let maximum = Self.number(schema["maxProperties"]), Double(object.count) > maximum {
            problems.append("\(path): \(object.count) fields, more than maxProperties \(Int(maximum))")
        }
        let properties: [String: JSONValue]
        if case .object(let declared) = schema["properties"] ?? .null {
            properties = declared
        } else {
            properties = [:]
        }
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            if let property = properties[name] {
                problems += self.problems(value, property, at: "\(path).\(name)")
            } else if let additional = schema["additionalProperties"] {
                if additional == .bool(false) {
                    problems.append("\(path): the field \(name) is not in the schema")
                } else if case .object = additional {
                    problems += self.problems(value, additional, at: "\(path).\(name)")
                }
            } else if strictObjects && !properties.isEmpty {
                problems.append("\(path): the field \(name) is not in the schema")
            }
        }
        return problems
    }

    private func undeclared(_ value: JSONValue, allowed: Set<String>, at path: String) -> [String] {
        guard case .object(let object) = value else { return [] }
        return object.keys.sorted().filter { !allowed.contains($0) }.map {
            "\(path): the field \($0) is not in the schema"
        }
    }

    private func declaredProperties(_ schema: JSONValue) -> [String] {
        guard case .object(let properties) = schema["properties"] ?? .null else { return [] }
        return Array(properties.keys)
    }

    /// `schema` with a `$ref` followed (to any depth).
    func resolved(_ schema: JSONValue) -> JSONValue {
        var schema = schema
        var hops = 0
        while let reference = schema["$ref"]?.string, hops < 32 {
            let parts = reference.split(separator: "/").dropFirst().map(String.init)
            var target = document
            for part in parts { target = target[part] ?? .null }
            schema = target
            hops += 1
        }
        return schema
    }

    private static func types(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let type): [type]
        case .array(let types): types.compactMap(\.string)
        default: []
        }
    }

    private static func value(_ value: JSONValue, is type: String) -> Bool {
        switch (value, type) {
        case (.null, "null"), (.bool, "boolean"), (.number, "number"), (.string, "string"), (.array, "array"),
            (.object, "object"):
            true
        case (.number(let number), "integer"): number.rounded() == number
        default: false
        }
    }

    private static func number(_ value: JSONValue?) -> Double? {
        if case .number(let number) = value { number } else { nil }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let number): "\(number)"
        case .string(let text): "\"\(text.prefix(60))\""
        case .array(let items): "an array of \(items.count)"
        case .object: "an object"
        }
    }
}
