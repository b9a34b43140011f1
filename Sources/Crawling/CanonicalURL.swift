import Foundation

/// The canonical form of a URL, the key of a crawl's seen-set and of a page's document id: two spellings of one
/// page are one page.
///
/// Rules: scheme and host lower-cased; the default port (80 for http, 443 for https) dropped; the fragment dropped;
/// an empty path becomes `/` and a trailing `/` is dropped from any other path; tracking parameters removed
/// (`utm_*`, `fbclid`, `gclid`, `dclid`, `gbraid`, `wbraid`, `msclkid`, `mc_cid`, `mc_eid`, `yclid`, `_ga`, `_gl`,
/// `igshid`), the others kept in their order; a query left empty disappears. Percent-encoding is kept as written.
public enum CanonicalURL {
    /// Query parameters that only say where a visitor came from.
    public static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "yclid", "_ga", "_gl", "igshid",
    ]

    /// The canonical form of `string`, or nil when it is not an absolute http(s) URL with a host.
    public static func canonical(_ string: String) -> String? {
        guard var components = URLComponents(string: string.trimmingCharacters(in: .whitespaces)),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        components.scheme = scheme
        components.host = host.lowercased()
        if components.port == (scheme == "https" ? 443 : 80) { components.port = nil }
        components.fragment = nil
        var path = components.percentEncodedPath
        if path.isEmpty { path = "/" }
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        components.percentEncodedPath = path
        if let items = components.percentEncodedQueryItems {
            let kept = items.filter { item in
                let name = item.name.lowercased()
                return !name.hasPrefix("utm_") && !trackingParameters.contains(name)
            }
            components.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        }
        if components.percentEncodedQuery?.isEmpty == true { components.percentEncodedQuery = nil }
        return components.string
    }

    /// `reference` resolved against `base` (a page's URL, or its `<base href>`), canonical; nil for links that are
    /// not http(s) (mailto:, javascript:, data:) or do not parse.
    public static func resolve(_ reference: String, against base: URL) -> String? {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let url = URL(string: trimmed, relativeTo: base) else {
            return nil
        }
        return canonical(url.absoluteString)
    }
}
