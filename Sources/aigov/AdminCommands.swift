import APIServer
import ArgumentParser
import Foundation
import Store

extension UserRole: ExpressibleByArgument {}

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Manage API users.", subcommands: [Create.self, Passwd.self])

    /// The first line of standard input as a password, checked against ``PasswordPolicy``.
    static func passwordFromStandardInput() throws -> String {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: input, encoding: .utf8) else {
            throw CLIError("the password on standard input is not UTF-8")
        }
        let password = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        if let problem = PasswordPolicy.problem(with: password) { throw CLIError("the password \(problem)") }
        return password
    }

    static func hash(_ password: String) throws -> String {
        do {
            return try PasswordHasher().hash(password)
        } catch {
            throw CLIError("cannot hash the password")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password; the user's sessions signed in before it end.",
            discussion: """
                The new password is the first line of standard input: `printf '%s\\n' "$PASSWORD" | aigov admin \
                passwd --username alice --password-stdin`. With --enable a disabled account is enabled again.
                """)

        @OptionGroup var data: DataOptions

        @Option(help: "The user's login name (case-insensitive).")
        var username: String

        @Flag(help: "Read the password from standard input (required).")
        var passwordStdin = false

        @Flag(help: "Also enable the account if it was disabled.")
        var enable = false

        func validate() throws {
            guard passwordStdin else {
                throw ValidationError("pass the password on standard input with --password-stdin")
            }
        }

        func run() async throws {
            let hash = try AdminCommand.hash(try AdminCommand.passwordFromStandardInput())
            let store = try await openStore(data)
            do {
                guard let user = try await store.user(username: username),
                    let changed = try await store.updateUser(
                        id: user.id, UserChange(passwordHash: hash, isActive: enable ? true : nil))
                else { throw CLIError("no user is named \(username)") }
                printError(
                    "password of \(changed.username) changed\(changed.isActive ? "" : " (the account stays disabled)")")
            } catch let error as StoreError {
                throw CLIError(error.message)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user who can log in to the API (admins ingest and curate; viewers read).",
            discussion: """
                The password is read from standard input (its first line), never from the command line where \
                other users could see it: `printf '%s\\n' "$PASSWORD" | aigov admin create --username alice \
                --password-stdin`. It is stored as a PBKDF2-SHA256 hash (600,000 iterations, random salt).
                """)

        @OptionGroup var data: DataOptions

        @Option(help: "The login name (unique, case-insensitive).")
        var username: String

        @Flag(help: "Read the password from standard input (required).")
        var passwordStdin = false

        @Option(help: "admin or viewer.")
        var role: UserRole = .admin

        @Option(help: "Contact address, shown by /api/auth/me.")
        var email: String?

        @Flag(help: "Print the created user as JSON on stdout.")
        var json = false

        func validate() throws {
            guard passwordStdin else {
                throw ValidationError("pass the password on standard input with --password-stdin")
            }
            let name = username.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 150 else {
                throw ValidationError("--username must be 1 to 150 characters")
            }
        }

        func run() async throws {
            let hash = try AdminCommand.hash(try AdminCommand.passwordFromStandardInput())
            let store = try await openStore(data)
            let user: User
            do {
                user = try await store.createUser(
                    NewUser(
                        username: username.trimmingCharacters(in: .whitespacesAndNewlines), email: email,
                        passwordHash: hash, role: role))
            } catch let error as StoreError {
                throw CLIError(error.message)
            }
            if json {
                try printJSON(["id": user.id, "username": user.username, "role": user.role.rawValue])
            } else {
                printError("created \(user.role.rawValue) \(user.username) (id \(user.id))")
            }
        }
    }
}
