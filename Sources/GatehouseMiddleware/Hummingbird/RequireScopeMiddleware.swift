public import Hummingbird

/// Lets a request through only when its token was granted every one of `scopes` (RFC 6749
/// §3.3); otherwise answers `403` with `error="insufficient_scope"` and `scope="…"` naming
/// them (RFC 6750 §3.1). Put it after ``BearerTokenMiddleware``.
///
/// ```swift
/// router.group("/api/notices")
///     .add(middleware: RequireScopeMiddleware<AppContext>(["notices.write"], realm: verifier.realm))
/// ```
public struct RequireScopeMiddleware<Context: IdentityRequestContext>: RouterMiddleware {
    /// The scopes required, all of them.
    public let scopes: [String]
    /// The `realm` of the challenges.
    public let realm: String

    /// Requires every one of `scopes`.
    public init(_ scopes: [String], realm: String) {
        self.scopes = scopes
        self.realm = realm
    }

    /// Checks the scopes, then calls `next`.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let identity = context.identity else { throw BearerError.missingCredentials(realm: realm) }
        guard scopes.allSatisfy(identity.hasScope) else {
            throw BearerError.insufficientScope(realm: realm, "The access token was not granted the scope this needs.",
                                                scope: scopes.joined(separator: " "))
        }
        return try await next(request, context)
    }
}
