public import Hummingbird
import Foundation

/// Lets a request through only when its identity holds a role at a unit, by the subtree rule
/// (a role granted at `/ha-noi` holds at `/ha-noi/phuong-ba-dinh`, not at `/hue` or
/// `/ha-noi-2`); otherwise answers `403` with `error="insufficient_scope"` (RFC 6750 §3.1).
/// Put it after ``BearerTokenMiddleware``; without an identity it answers `401`.
///
/// Units taken from the path need the route resolved, so add the middleware to a route group
/// (`router.group(…).add(middleware:)`), whose middleware runs after routing.
///
/// ```swift
/// router.group("/notices")
///     .add(middleware: RequireRoleMiddleware<AppContext>("clerk", at: .catchAll, realm: verifier.realm))
///     .get("**") { … }                       // /notices/ha-noi/phuong-ba-dinh → unit /ha-noi/phuong-ba-dinh
/// router.group("/admin")
///     .add(middleware: RequireRoleMiddleware<AppContext>("admin", at: .fixed(.root), realm: verifier.realm))
/// ```
public struct RequireRoleMiddleware<Context: IdentityRequestContext>: RouterMiddleware {
    /// Where the unit comes from.
    public enum UnitSource: Sendable {
        /// Always this unit.
        case fixed(UnitPath)
        /// A route parameter holding the path, percent-encoded (`%2Fha-noi%2Fphuong-ba-dinh`);
        /// the leading `/` may be left out (`ha-noi` is `/ha-noi`).
        case parameter(String)
        /// The segments a `**` route captured: `/notices/**` on `/notices/ha-noi/x` is `/ha-noi/x`.
        case catchAll
        /// Computed by the application, e.g. from a record's unit; `nil` answers `400`.
        case custom(@Sendable (Request, Context) -> UnitPath?)
    }

    /// The roles of which one must hold.
    public let roles: [String]
    /// Where the unit comes from.
    public let unit: UnitSource
    /// The `realm` of the challenges.
    public let realm: String

    /// Requires `role` at the unit `unit` gives.
    public init(_ role: String, at unit: UnitSource, realm: String) {
        self.init(anyOf: [role], at: unit, realm: realm)
    }

    /// Requires one of `roles` at the unit `unit` gives.
    public init(anyOf roles: [String], at unit: UnitSource, realm: String) {
        self.roles = roles
        self.unit = unit
        self.realm = realm
    }

    /// Checks the role, then calls `next`.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let identity = context.identity else { throw BearerError.missingCredentials(realm: realm) }
        guard let unit = resolveUnit(request, context) else {
            throw HTTPError(.badRequest, message: "The unit in the address is not a valid unit path.")
        }
        guard roles.contains(where: { identity.hasRole($0, at: unit) }) else {
            context.logger.info("role refused", metadata: ["subject": "\(identity.subject)", "roles": "\(roles)", "unit": "\(unit)"])
            let needed = roles.count == 1 ? "the role \(roles[0])" : "one of the roles \(roles.joined(separator: ", "))"
            throw BearerError.insufficientScope(realm: realm, "This needs \(needed) at \(unit) or at a unit above it.")
        }
        return try await next(request, context)
    }

    func resolveUnit(_ request: Request, _ context: Context) -> UnitPath? {
        switch unit {
        case .fixed(let path):
            return path
        case .parameter(let name):
            guard let raw = context.parameters.get(name), let value = raw.removingPercentEncoding else { return nil }
            return UnitPath(value.hasPrefix("/") ? value : "/" + value)
        case .catchAll:
            var path = ""
            for segment in context.parameters.getCatchAll() {
                guard let decoded = String(segment).removingPercentEncoding, !decoded.contains("/") else { return nil }
                path += "/" + decoded
            }
            return UnitPath(path.isEmpty ? "/" : path)
        case .custom(let resolve):
            return resolve(request, context)
        }
    }
}
