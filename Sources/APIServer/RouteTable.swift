/// The API's routes as method + path template, so a known path asked with the wrong method gets 405 with
/// `Allow` (Hummingbird's router answers 404 for both), and tests can check that the OpenAPI document
/// describes every route.
enum RouteTable {
    static let routes: [(method: String, path: String)] = [
        ("GET", "/"),
        ("GET", "/health"),
        ("GET", "/ready"),
        ("GET", "/metrics"),
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("POST", "/api/search/query"),
        ("POST", "/api/search/retrieve"),
        ("POST", "/api/auth/login"),
        ("GET", "/api/auth/me"),
        ("POST", "/api/content/ingest"),
        ("POST", "/api/content/upload"),
        ("GET", "/api/admin/documents"),
        ("GET", "/api/admin/documents/{id}"),
        ("DELETE", "/api/admin/documents/{id}"),
        ("GET", "/api/admin/health"),
    ]

    /// The methods of the routes whose template matches `path`; empty when no route does.
    static func methods(for path: String) -> [String] {
        let segments = split(path)
        var methods: [String] = []
        for route in routes where matches(split(route.path), segments) && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(_ template: [Substring], _ segments: [Substring]) -> Bool {
        guard template.count == segments.count else { return false }
        return zip(template, segments).allSatisfy { pattern, segment in
            pattern.hasPrefix("{") || pattern == segment
        }
    }
}
