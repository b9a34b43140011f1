import HTTPTypes

/// The headers of every page and asset. The policy allows scripts, styles and requests from this origin only and
/// no inline script or style at all, so text that slipped into a page as markup could still not run; pages may not
/// be framed (clickjacking), send no referrer (a question in the address stays here) and are not sniffed.
enum PageHeaders {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    static func fields(contentType: String, cache: String) -> HTTPFields {
        [
            .contentType: contentType,
            .contentSecurityPolicy: contentSecurityPolicy,
            .cacheControl: cache,
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Permissions-Policy")!: "camera=(), microphone=(), geolocation=(), interest-cohort=()",
            HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
        ]
    }
}
