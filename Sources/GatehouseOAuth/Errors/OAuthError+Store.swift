import GatehouseStore

extension OAuthError {
    /// Maps any error that escaped a store transaction: an `OAuthError` as itself, a store that
    /// is unreachable or kept conflicting as `temporarily_unavailable` (HTTP 503, the client may
    /// retry), anything else as `server_error`. The original goes to ``debug`` only.
    static func wrapping(_ error: any Error) -> OAuthError {
        if let error = error as? OAuthError { return error }
        if let error = error as? StoreError {
            switch error.kind {
            case .unavailable, .conflict: return OAuthError(.temporarilyUnavailable, debug: error.debugDescription)
            default: return OAuthError(.serverError, debug: error.debugDescription)
            }
        }
        return OAuthError(.serverError, debug: String(describing: error))
    }
}
