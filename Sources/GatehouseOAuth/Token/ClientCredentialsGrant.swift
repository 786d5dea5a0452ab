import Foundation
import GatehouseCore

/// `grant_type=client_credentials` (RFC 6749 §4.4): a confidential client acting on its own
/// behalf. The access token's `sub` is the client id (RFC 9068 §2.2); there is no refresh
/// token (§4.4.3) and no ID token (no user). The scope is the requested one, which must lie
/// within the client's registered scopes and not name a user scope (`openid`, `profile`…);
/// absent, it is every registered scope that is not a user scope.
///
/// Storage: `AuditStorage`.
struct ClientCredentialsGrant: TokenGrantHandler {
    let minter: TokenMinter
    var grantType: GrantType { .clientCredentials }

    func handle(_ request: GrantRequest, storage: StoreTransaction) throws -> GrantResult {
        try issue(request, storage: storage)
    }

    private func issue(_ request: GrantRequest, storage: some AuditStorage) throws -> GrantResult {
        let client = request.client
        guard !client.isPublic else {
            return .refuse(OAuthError(.unauthorizedClient, "Public clients cannot use client_credentials.", debug: "public client"))
        }
        let issuance: TokenIssuance
        do throws(OAuthError) {
            let available = client.scopes.subtracting(Scope.userScopes)
            let scope = try request.requestedScope() ?? Scope(available.sorted())
            guard scope.isSubset(of: available) else {
                throw OAuthError(.invalidScope, "The scope is not available to this client.", debug: "requested \(scope)")
            }
            let access = minter.accessClaims(subject: client.id, clientID: client.id, scope: scope, now: request.now, user: nil)
            issuance = try minter.issuance(access: access, id: nil, idAlgorithm: minter.configuration.idTokenAlgorithm,
                                           refreshToken: nil, scope: scope, now: request.now)
        } catch {
            return .refuse(error)
        }
        try storage.appendAudit(AuditRecord(
            action: AuditAction.tokensIssued, actor: "client:\(client.id)", target: client.id, clientID: client.id,
            sourceIP: request.sourceIP, result: .success,
            detail: ["grant_type": grantType.rawValue, "scope": issuance.scope.description, "jti": issuance.access.jwtID ?? ""],
            time: request.now))
        return .issue(issuance)
    }
}
