import Foundation

/// The OpenAPI 3.1 description served at `/openapi.json`: the paths written from ``APIContract`` and the
/// schemas of ``OpenAPIComponents``, serialised once (keys sorted, so the text is the same on every start).
enum OpenAPIDocument {
    static let json: String = {
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "aigov",
                "version": "1.0.0",
                "description": """
                Questions about AI-governance texts answered with passages cited to article, section and page. \
                Errors are {"detail": "..."}; every response carries X-Request-Id.
                """,
            ],
            "tags": ["search", "auth", "content", "admin", "origins"].map { ["name": $0] },
            "paths": paths(),
            "components": parse(OpenAPIComponents.json),
        ]
        // Every value above is JSON made here or parsed from a literal a test reads, so this cannot fail.
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }()

    static func paths() -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for route in APIContract.routes {
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = operation(route)
        }
        return paths
    }

    private static func operation(_ route: APIRoute) -> [String: Any] {
        var operation: [String: Any] = ["operationId": route.operation.rawValue, "summary": route.summary]
        if let description = route.description { operation["description"] = description }
        if let tag = route.tag { operation["tags"] = [tag] }
        if route.access == .signedIn || route.access == .admin { operation["security"] = [["bearerAuth": []]] }
        if !route.parameters.isEmpty {
            operation["parameters"] = route.parameters.map { parameter -> [String: Any] in
                var object: [String: Any] = [
                    "name": parameter.name, "in": parameter.location.rawValue, "schema": parse(parameter.schema),
                ]
                if parameter.location == .path { object["required"] = true }
                return object
            }
        }
        if let body = route.requestBody {
            operation["requestBody"] = ["required": true, "content": content(body.content)]
        }
        var responses: [String: Any] = [:]
        for response in route.allResponses {
            responses[String(response.status)] = [
                "description": response.description, "content": content(response.content),
            ]
        }
        operation["responses"] = responses
        return operation
    }

    private static func content(_ types: [MediaType]) -> [String: Any] {
        var content: [String: Any] = [:]
        for type in types {
            var object: [String: Any] = [:]
            switch type.schema {
            case .schema(let name): object["schema"] = ["$ref": "#/components/schemas/\(name)"]
            case .inline(let json): object["schema"] = parse(json)
            }
            if !type.events.isEmpty {
                object["x-events"] = Dictionary(
                    uniqueKeysWithValues: type.events.map { ($0.name, ["$ref": "#/components/schemas/\($0.schema)"]) })
            }
            content[type.name] = object
        }
        return content
    }

    private static func parse(_ json: String) -> Any {
        // The literals are the source's own; `OpenAPIDocumentTests` parses every one, so a typo fails a test
        // rather than a start.
        try! JSONSerialization.jsonObject(with: Data(json.utf8))
    }
}
