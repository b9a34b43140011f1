import Foundation
import Hummingbird
import Store

/// `GET|POST /api/admin/users` and `PUT /api/admin/users/{id}`: the accounts that may sign in. Passwords are
/// hashed on the hashing pool (as logins are), so creating users cannot starve logins or searches; a changed
/// password or a re-enabled account ends the user's earlier sessions (``AccessClaims/cv``), and a disabled one
/// stops authenticating at once. An admin cannot disable or demote their own account, which could leave a
/// deployment with no admin.
struct UserRoutes: Sendable {
    let state: ServerState

    struct UserBody: Encodable {
        var user: User

        enum CodingKeys: String, CodingKey {
            case id, username, email, role
            case isActive = "is_active"
            case createdAt = "created_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(user.id, forKey: .id)
            try container.encode(user.username, forKey: .username)
            try container.encode(user.email, forKey: .email)
            try container.encode(user.role.rawValue, forKey: .role)
            try container.encode(user.isActive, forKey: .isActive)
            try container.encode(user.createdAt, forKey: .createdAt)
        }
    }

    struct UserList: Encodable {
        var users: [UserBody]
    }

    /// `{username, password, role?, email?}`.
    struct NewUserFields: Decodable {
        var username: String
        var password: String
        var role: UserRole
        var email: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case username, password, role, email }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(allowed: Set(CodingKeys.allCases.map(\.rawValue)))
            let container = try decoder.container(keyedBy: CodingKeys.self)
            username = try container.decode(String.self, forKey: .username).trimmingCharacters(in: .whitespaces)
            guard !username.isEmpty, username.count <= 150 else {
                throw APIError.invalid("username", "must be 1 to 150 characters")
            }
            try TextRules.check(username, field: "username", maxScalars: 150)
            password = try container.decode(String.self, forKey: .password)
            if let problem = PasswordPolicy.problem(with: password) { throw APIError.invalid("password", problem) }
            role = try UserRoutes.role(try container.decodeIfPresent(String.self, forKey: .role) ?? "viewer")
            email = try container.decodeIfPresent(String.self, forKey: .email)
            if let email { try TextRules.check(email, field: "email", maxScalars: 320) }
        }
    }

    /// `{password?, role?, is_active?}`: at least one.
    struct ChangeFields: Decodable {
        var password: String?
        var role: UserRole?
        var isActive: Bool?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case password, role
            case isActive = "is_active"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(allowed: Set(CodingKeys.allCases.map(\.rawValue)))
            let container = try decoder.container(keyedBy: CodingKeys.self)
            password = try container.decodeIfPresent(String.self, forKey: .password)
            if let password, let problem = PasswordPolicy.problem(with: password) {
                throw APIError.invalid("password", problem)
            }
            role = try container.decodeIfPresent(String.self, forKey: .role).map(UserRoutes.role)
            isActive = try container.decodeIfPresent(Bool.self, forKey: .isActive)
            guard password != nil || role != nil || isActive != nil else {
                throw APIError.invalid("body", "name at least one of password, role and is_active")
            }
        }
    }

    static func role(_ text: String) throws -> UserRole {
        guard let role = UserRole(rawValue: text) else { throw APIError.invalid("role", "must be admin or viewer") }
        return role
    }

    func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        JSONResponse.make(UserList(users: try await state.store.users().map(UserBody.init)))
    }

    func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        var request = request
        let fields = try await RequestBodies.json(
            NewUserFields.self, from: &request, limit: state.configuration.maxJSONBodyBytes)
        let hash = try await hashed(fields.password)
        let user: User
        do {
            user = try await state.store.createUser(
                NewUser(username: fields.username, email: fields.email, passwordHash: hash, role: fields.role))
        } catch let error as StoreError where error.code == .conflict {
            throw APIError(.conflict, .conflict, "this username is taken")
        }
        context.logger.info("user created", metadata: ["user_id": .stringConvertible(user.id)])
        return JSONResponse.make(UserBody(user: user), status: .created)
    }

    func update(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        guard let raw = context.parameters.get("id"), let id = Int64(raw), id > 0 else {
            throw APIError.invalid("id", "must be a user id")
        }
        var request = request
        let fields = try await RequestBodies.json(
            ChangeFields.self, from: &request, limit: state.configuration.maxJSONBodyBytes)
        guard try await state.store.user(id: id) != nil else { throw APIError.notFound("no user with this id") }
        if id == context.user?.id, fields.isActive == false || fields.role == .viewer {
            throw APIError(.conflict, .conflict, "you cannot disable or demote your own account")
        }
        var hash: String?
        if let password = fields.password { hash = try await hashed(password) }
        guard
            let user = try await state.store.updateUser(
                id: id, UserChange(passwordHash: hash, role: fields.role, isActive: fields.isActive))
        else { throw APIError.notFound("no user with this id") }
        context.logger.info("user changed", metadata: ["user_id": .stringConvertible(id)])
        return JSONResponse.make(UserBody(user: user))
    }

    private func hashed(_ password: String) async throws -> String {
        let hasher = state.newPasswords
        guard let hash = await state.hashing.run({ try? hasher.hash(password) }) else {
            throw AuthRoutes.hashingBusy
        }
        guard let hash else { throw APIError.unavailable("cannot hash the password") }
        return hash
    }
}
