import NIOSSL
import PostgresNIO
import _ConnectionPoolModule

extension StoreError {
    /// Maps an error from postgres-nio to a `StoreError`. Messages are the server's own text (which names tables,
    /// constraints and at most the user name) or name only `target` (host, port, database): never the URL, the
    /// password, a statement or its arguments. `PSQLError`'s own description hides all of that too, so nothing
    /// here prints it. Store and cancellation errors pass through.
    static func postgresMapping(_ error: any Error, target: String) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        if let error = error as? PostgresTransactionError {
            // The closure's error is the cause; BEGIN and COMMIT failures are connection or server errors.
            if let inner = error.closureError ?? error.beginError ?? error.commitError {
                return postgresMapping(inner, target: target)
            }
            return StoreError(.database, "a PostgreSQL transaction failed")
        }
        if error is ConnectionPoolError {
            // The pool gave up making a connection (the server down or unreachable), or was shut down.
            return StoreError(.connectionFailed, "cannot reach PostgreSQL at \(target) (no connection could be made)")
        }
        guard let error = error as? PSQLError else {
            return StoreError(.database, "unexpected PostgreSQL error (\(type(of: error)))")
        }
        switch error.code {
        case .server:
            return serverError(error, target: target)
        case .sslUnsupported:
            return StoreError(.connectionFailed, "PostgreSQL at \(target) does not accept TLS (sslmode asks for it)")
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return StoreError(.connectionFailed, "the TLS handshake with PostgreSQL at \(target) failed")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return StoreError(
                .authenticationFailed, "PostgreSQL at \(target) refused the authentication (check user and password)")
        case .queryCancelled:
            return StoreError(.busy, "PostgreSQL cancelled the statement")
        case .tooManyParameters:
            return StoreError(.invalidInput, "too many values in one PostgreSQL statement")
        case .connectionError where error.underlying is NIOSSLError:
            // A failed certificate check surfaces as a connection error whose cause is NIOSSL's.
            return StoreError(
                .connectionFailed,
                "the TLS handshake with PostgreSQL at \(target) failed (with sslmode verify-ca or verify-full the "
                    + "server's certificate must chain to a root this system trusts)")
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return StoreError(.connectionFailed, "cannot reach PostgreSQL at \(target) (\(error.code))")
        default:
            return StoreError(.database, "PostgreSQL error (\(error.code)) at \(target)")
        }
    }

    private static func serverError(_ error: PSQLError, target: String) -> StoreError {
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? "PostgreSQL error \(state)"
        switch state {
        case "23505":
            return StoreError(.conflict, message)
        case _ where state.hasPrefix("23"):
            return StoreError(.constraintViolation, message)
        case "28P01", "28000":
            return StoreError(.authenticationFailed, "PostgreSQL at \(target): \(message)")
        case "3D000":
            return StoreError(.databaseNotFound, "PostgreSQL at \(target): \(message)")
        case "40001", "40P01", "55P03", "57014":
            return StoreError(.busy, message)
        case _ where state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300":
            return StoreError(.connectionFailed, "PostgreSQL at \(target): \(message)")
        case _ where state.hasPrefix("53") || state.hasPrefix("58"):
            return StoreError(.io, message)
        case "22P02", "22001", "22003", "22007", "22008":
            return StoreError(.invalidInput, message)
        case "XX001", "XX002":
            return StoreError(.corrupt, message)
        default:
            return StoreError(.database, message)
        }
    }
}
