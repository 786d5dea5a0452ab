import Hummingbird

extension TokenVerifier {
    /// A ``BearerTokenMiddleware`` using this verifier.
    ///
    /// ```swift
    /// router.add(middleware: verifier.bearerMiddleware(for: AppContext.self))
    /// ```
    public func bearerMiddleware<Context: IdentityRequestContext>(
        for context: Context.Type = Context.self, allowsAnonymous: Bool = false
    ) -> BearerTokenMiddleware<Context> {
        BearerTokenMiddleware(verifier: self, allowsAnonymous: allowsAnonymous)
    }

    /// A ``RequireRoleMiddleware`` with this verifier's realm.
    ///
    /// ```swift
    /// group.add(middleware: verifier.requireRole("clerk", at: .parameter("unit"), for: AppContext.self))
    /// ```
    public func requireRole<Context: IdentityRequestContext>(
        _ role: String, at unit: RequireRoleMiddleware<Context>.UnitSource, for context: Context.Type = Context.self
    ) -> RequireRoleMiddleware<Context> {
        RequireRoleMiddleware(role, at: unit, realm: realm)
    }

    /// A ``RequireScopeMiddleware`` with this verifier's realm.
    ///
    /// ```swift
    /// group.add(middleware: verifier.requireScopes(["notices.write"], for: AppContext.self))
    /// ```
    public func requireScopes<Context: IdentityRequestContext>(
        _ scopes: [String], for context: Context.Type = Context.self
    ) -> RequireScopeMiddleware<Context> {
        RequireScopeMiddleware(scopes, realm: realm)
    }
}
