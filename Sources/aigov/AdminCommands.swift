import APIServer
import ArgumentParser
import Foundation
import Store

extension UserRole: ExpressibleByArgument {}

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Manage API users.", subcommands: [Create.self])

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

        static let minimumPasswordLength = 12

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
            let input = FileHandle.standardInput.readDataToEndOfFile()
            guard let text = String(data: input, encoding: .utf8) else {
                throw CLIError("the password on standard input is not UTF-8")
            }
            let password = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)[0])
                .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            guard password.count >= Self.minimumPasswordLength else {
                throw CLIError("the password must be at least \(Self.minimumPasswordLength) characters")
            }
            guard password.utf8.count <= 1024 else { throw CLIError("the password is over 1024 bytes") }
            let hash: String
            do {
                hash = try PasswordHasher().hash(password)
            } catch {
                throw CLIError("cannot hash the password")
            }
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
