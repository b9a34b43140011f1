import Answering
import Documents
import Knowledge
import Store

extension APIError {
    /// The HTTP form of an error from the modules below, by its stable code. Ingest messages name the input
    /// and are written to be shown; store, index and model failures are not the client's fault and become
    /// a 5xx without their message (which the error middleware logs).
    static func mapping(_ error: any Error) -> APIError? {
        if let error = error as? IngestError {
            switch error.code {
            case .unsupported, .empty, .encrypted, .corrupt, .timeout, .resourceLimit, .duplicateID, .notFound:
                return APIError(.unprocessableContent, .validation, error.message)
            case .tooLarge:
                return APIError(.contentTooLarge, .tooLarge, error.message)
            case .toolMissing, .locked:
                return .unavailable("document processing is not available on this server")
            default:
                return nil
            }
        }
        if let error = error as? StoreError {
            switch error.code {
            case .notFound: return .notFound()
            case .conflict: return APIError(.conflict, .conflict, "the request conflicts with stored data")
            case .busy: return .unavailable("the database is busy; try again")
            // The database is away (PostgreSQL restarting, a network cut): the request may succeed once it is back.
            case .connectionFailed: return .unavailable("the database is not available; try again", retryAfter: 5)
            default: return nil
            }
        }
        if let error = error as? AnsweringError, error.code == .cancelled {
            return APIError(.serviceUnavailable, .unavailable, "the request was cancelled")
        }
        return nil
    }
}
