public import Hummingbird

/// A Hummingbird request context that carries the identity ``BearerTokenMiddleware`` verified.
///
/// ```swift
/// struct AppContext: IdentityRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var identity: VerifiedIdentity?
///     init(source: Source) { coreContext = .init(source: source) }
/// }
/// router.get("/me") { _, context in try context.requireIdentity().subject }
/// ```
public protocol IdentityRequestContext: RequestContext {
    /// The verified identity; `nil` before the middleware ran or for an anonymous request.
    var identity: VerifiedIdentity? { get set }
}

extension IdentityRequestContext {
    /// The identity, or a `401` with `WWW-Authenticate: Bearer` (RFC 6750 §3, where `realm`
    /// is optional) for a request that reached the handler without one: a route behind a
    /// middleware that lets anonymous requests through.
    public func requireIdentity() throws -> VerifiedIdentity {
        guard let identity else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "Sign in to use this.")
        }
        return identity
    }
}

/// The request context for applications that need nothing else: Hummingbird's core storage
/// and the identity.
///
/// ```swift
/// let router = Router(context: BasicIdentityRequestContext.self)
/// router.add(middleware: gatehouse.bearerMiddleware())
/// ```
public struct BasicIdentityRequestContext: IdentityRequestContext {
    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// The verified identity.
    public var identity: VerifiedIdentity?

    /// Creates a context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
    }
}
