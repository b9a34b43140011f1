import Foundation

/// What a user may do: admins ingest and curate, viewers ask questions.
public enum UserRole: String, Sendable, Equatable, CaseIterable {
    case admin
    case viewer
}

/// A user row. `passwordHash` is the KDF output (ARCHITECTURE.md section 11); the store never sees a password.
public struct User: Sendable, Equatable {
    /// Assigned by the store.
    public var id: Int64
    /// Unique, compared case-insensitively.
    public var username: String
    public var email: String?
    public var passwordHash: String
    public var role: UserRole
    public var isActive: Bool
    public var createdAt: Date
    /// When the password last changed or the account was enabled again; tokens issued before it are refused.
    public var credentialsChangedAt: Date?

    /// A user value as read from the store.
    public init(
        id: Int64, username: String, email: String?, passwordHash: String, role: UserRole, isActive: Bool,
        createdAt: Date, credentialsChangedAt: Date? = nil
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.isActive = isActive
        self.createdAt = createdAt
        self.credentialsChangedAt = credentialsChangedAt
    }
}

/// A change to a user; nil fields stay as they are.
public struct UserChange: Sendable, Equatable {
    /// A new password's hash; also ends every session issued before the change.
    public var passwordHash: String?
    public var role: UserRole?
    /// false disables the account (its tokens stop working at once); true enables it again, which also ends the
    /// sessions issued before it was disabled.
    public var isActive: Bool?

    public init(passwordHash: String? = nil, role: UserRole? = nil, isActive: Bool? = nil) {
        self.passwordHash = passwordHash
        self.role = role
        self.isActive = isActive
    }

    /// Whether the change ends the user's earlier sessions.
    public var renewsCredentials: Bool { passwordHash != nil || isActive == true }
}

/// The fields of a user to create; the store assigns the id and the creation time.
public struct NewUser: Sendable, Equatable {
    public var username: String
    public var email: String?
    public var passwordHash: String
    public var role: UserRole
    public var isActive: Bool

    /// A user to create, active unless told otherwise.
    public init(username: String, email: String? = nil, passwordHash: String, role: UserRole, isActive: Bool = true) {
        self.username = username
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.isActive = isActive
    }
}
