/// The methods a path is served with, so a known path asked with the wrong method gets 405 with `Allow`
/// (Hummingbird's router answers 404 for both). Read from ``APIContract``, as the router is.
enum RouteTable {
    /// The methods of the routes whose template matches `path`; empty when no route does.
    static func methods(for path: String) -> [String] {
        APIContract.methods(for: path).map(\.rawValue)
    }
}
