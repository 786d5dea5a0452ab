public import Foundation

extension TokenVerifier {
    /// Authenticates a request from its `Authorization` header (RFC 6750 §2.1), for any HTTP
    /// framework: the identity, or the ``BearerError`` whose status and challenge to send.
    ///
    /// ```swift
    /// switch await verifier.authenticate(authorizationHeader: request.headers["Authorization"]) {
    /// case .success(let identity): handle(identity)
    /// case .failure(let error): reply(error.statusCode, ["WWW-Authenticate": error.challenge], error.body)
    /// }
    /// ```
    public func authenticate(authorizationHeader: String?, now: Date = Date()) async -> Result<VerifiedIdentity, BearerError> {
        switch BearerCredentials(authorizationHeader) {
        case .absent:
            return .failure(.missingCredentials(realm: realm))
        case .malformed(let reason):
            return .failure(.invalidRequest(realm: realm, "The Authorization header is malformed: \(reason)."))
        case .token(let token):
            do {
                return .success(try await verify(token, now: now))
            } catch {
                logger.info("bearer token refused", metadata: ["reason": "\(error.reason.rawValue)", "detail": "\(error.detail)"])
                return .failure(.invalidToken(realm: realm, error))
            }
        }
    }

    /// ``authenticate(authorizationHeader:now:)`` for a request that may carry several
    /// `Authorization` headers: more than one is `invalid_request` (RFC 6750 §2).
    public func authenticate(authorizationHeaders: [String], now: Date = Date()) async -> Result<VerifiedIdentity, BearerError> {
        guard authorizationHeaders.count <= 1 else {
            return .failure(.invalidRequest(realm: realm, "The request carries more than one Authorization header."))
        }
        return await authenticate(authorizationHeader: authorizationHeaders.first, now: now)
    }
}
