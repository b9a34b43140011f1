/// What a password must be, wherever one is set (`aigov admin create|passwd`, the users routes): long enough to
/// resist guessing at the login limits, short enough that hashing it costs a bounded time.
public enum PasswordPolicy {
    public static let minimumCharacters = 12
    public static let maximumBytes = 1024

    /// Why `password` is refused, or nil when it is acceptable.
    public static func problem(with password: String) -> String? {
        if password.count < minimumCharacters { return "must be at least \(minimumCharacters) characters" }
        if password.utf8.count > maximumBytes { return "must be at most \(maximumBytes) bytes" }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "must not contain control characters"
        }
        return nil
    }
}
