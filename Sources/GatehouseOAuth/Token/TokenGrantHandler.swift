import Foundation
import GatehouseCore

/// One grant type at the token endpoint (RFC 6749 §4), in a file of its own. The endpoint
/// authenticates the client, picks the handler whose ``grantType`` the request names and the
/// client is registered for, and runs it inside the same write transaction.
///
/// A handler returns ``GrantResult/refuse(_:)`` rather than throwing for a protocol error, so
/// that what it wrote before refusing (the revocations after a replay, their audit events)
/// commits. It throws only what the store throws, which rolls everything back.
protocol TokenGrantHandler: Sendable {
    var grantType: GrantType { get }
    func handle(_ request: GrantRequest, storage: StoreTransaction) throws -> GrantResult
}

/// A token request whose client is authenticated.
struct GrantRequest {
    let form: ParameterReader
    let client: Client
    let now: Date
    let sourceIP: String?
}

enum GrantResult {
    case issue(TokenIssuance)
    case refuse(OAuthError)
}

extension GrantRequest {
    /// `scope` of a refresh or client-credentials request, when present.
    func requestedScope() throws(OAuthError) -> Scope? {
        guard let value = try form.optional("scope", maximumLength: 1024) else { return nil }
        guard let scope = Scope(parsing: value) else { throw OAuthError(.invalidScope, "The scope is malformed.") }
        return scope
    }
}
