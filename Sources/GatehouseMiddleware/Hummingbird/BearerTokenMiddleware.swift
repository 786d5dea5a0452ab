public import Hummingbird

/// Verifies the request's bearer token (RFC 6750 §2.1) and puts the identity in the context,
/// or answers as RFC 6750 §3 says: `401` with `WWW-Authenticate: Bearer realm="…"` when no
/// token was sent, `401` with `error="invalid_token"` for a refused one, `400` with
/// `error="invalid_request"` for a malformed or repeated `Authorization` header.
///
/// With `allowsAnonymous`, a request without any bearer token goes on with `identity` `nil`
/// (for pages that show more to signed-in users); a bad token is still refused, never
/// treated as anonymous.
///
/// ```swift
/// let router = Router(context: BasicIdentityRequestContext.self)
/// router.add(middleware: BearerTokenMiddleware(verifier: gatehouse.verifier))
/// router.get("/me") { _, context in try context.requireIdentity().subject }
/// ```
public struct BearerTokenMiddleware<Context: IdentityRequestContext>: RouterMiddleware {
    /// The verifier.
    public let verifier: TokenVerifier
    /// Whether a request without bearer credentials goes on, with no identity.
    public let allowsAnonymous: Bool

    /// Creates the middleware.
    public init(verifier: TokenVerifier, allowsAnonymous: Bool = false) {
        self.verifier = verifier
        self.allowsAnonymous = allowsAnonymous
    }

    /// Verifies, then calls `next` with the identity set, or throws the ``BearerError``.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        switch await verifier.authenticate(authorizationHeaders: request.headers[values: .authorization]) {
        case .success(let identity):
            context.identity = identity
        case .failure(let error) where error.code == .missingCredentials && allowsAnonymous:
            context.identity = nil
        case .failure(let error):
            context.logger.debug("bearer authentication failed", metadata: ["error": "\(error)"])
            throw error
        }
        return try await next(request, context)
    }
}
