import Crypto
import Foundation
import _CryptoExtras

/// PBKDF2-HMAC-SHA256 password hashes (ARCHITECTURE.md section 11) as self-describing strings
/// `pbkdf2_sha256$<iterations>$<salt base64>$<hash base64>`, with a random 16-byte salt per password.
///
/// Hashing costs about a quarter of a second of CPU by design; callers on the server run it off the event
/// loop threads.
public struct PasswordHasher: Sendable {
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    public static let defaultIterations = 600_000
    static let scheme = "pbkdf2_sha256"
    static let hashBytes = 32
    /// Stored hashes claiming more work than this are refused rather than run (a tampered row must not tie up
    /// a CPU for minutes).
    static let maxIterations = 10_000_000

    public let iterations: Int

    /// A hasher for new passwords; verification reads the iteration count from each stored hash.
    public init(iterations: Int = PasswordHasher.defaultIterations) {
        self.iterations = iterations
    }

    /// A new hash of `password` with a fresh salt.
    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let derived = try Self.derive(password, salt: salt, iterations: iterations)
        return [Self.scheme, String(iterations), Data(salt).base64EncodedString(), Data(derived).base64EncodedString()]
            .joined(separator: "$")
    }

    /// Whether `password` matches `stored`. A malformed stored hash never matches.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == scheme, let iterations = Int(parts[1]),
            (1...maxIterations).contains(iterations),
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
            !expected.isEmpty,
            let derived = try? derive(password, salt: Array(salt), iterations: iterations, length: expected.count)
        else { return false }
        return constantTimeEqual(derived, Array(expected))
    }

    /// Runs the KDF for a password that matches no user, so an unknown username costs as much time as a
    /// wrong password and timing does not reveal which usernames exist.
    public static func spendEquivalentTime() {
        _ = try? derive("", salt: [UInt8](repeating: 0, count: 16), iterations: defaultIterations)
    }

    static func derive(_ password: String, salt: [UInt8], iterations: Int, length: Int = hashBytes) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: length,
            unsafeUncheckedRounds: iterations)
        return key.withUnsafeBytes { Array($0) }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
