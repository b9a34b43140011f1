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

    /// A user value as read from the store.
    public init(
        id: Int64, username: String, email: String?, passwordHash: String, role: UserRole, isActive: Bool,
        createdAt: Date
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.isActive = isActive
        self.createdAt = createdAt
    }
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
