import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseJOSE

/// Client authentication at the token, introspection and revocation endpoints (RFC 6749
/// §2.3, OIDC Core §9). Only the method registered for the client (`Client.authMethod`) is
/// accepted; a public client (`none`) only where the endpoint allows one.
///
/// Runs inside the endpoint's write transaction: a `private_key_jwt` assertion's `jti` is
/// recorded there (RFC 7523 §3 item 7), and every failure appends an audit event there. A
/// failure is returned, not thrown, so that the transaction commits its audit event.
///
/// Storage: `ClientStorage`, `AuditStorage`.
struct ClientAuthenticator {
    let configuration: OAuthConfiguration
    /// The URL of the endpoint being called: an accepted `aud` of assertions, with the issuer
    /// and the token endpoint.
    let endpoint: String

    enum Publicness {
        /// Public clients (`none`) may call this endpoint (token, revocation: RFC 7009 §5).
        case allowed
        /// Only confidential clients (introspection: RFC 7662 §2.1).
        case refused
    }

    func authenticate(
        _ request: EndpointRequest, publicClients: Publicness, now: Date,
        storage: some ClientStorage & AuditStorage
    ) throws -> Result<Client, OAuthError> {
        let presented: PresentedCredentials
        do {
            presented = try PresentedCredentials.read(request)
        } catch {
            try audit(clientID: request.parameters["client_id"], method: nil, reason: error.debugDescription, request, now, storage)
            return .failure(error)
        }
        let challenge: OAuthError.Challenge? = presented.usedBasic ? .basic : nil
        func refuse(_ reason: String, debug: String) throws -> Result<Client, OAuthError> {
            try audit(clientID: presented.clientID, method: presented.method, reason: debug, request, now, storage)
            return .failure(OAuthError(.invalidClient, reason, debug: debug, challenge: challenge))
        }

        let client = (try? Client.validateID(presented.clientID)) == nil ? nil : try lookup { try storage.client(id: presented.clientID) }
        guard let client else {
            // Same work as a wrong secret, so response time does not tell which ids exist.
            if case .basic(_, let secret) = presented { _ = ClientSecrets.verify(secret, hash: nil, pepper: configuration.clientSecretPepper) }
            if case .post(_, let secret) = presented { _ = ClientSecrets.verify(secret, hash: nil, pepper: configuration.clientSecretPepper) }
            return try refuse(OAuthError.Code.invalidClient.defaultDescription, debug: "unknown client")
        }
        guard client.authMethod == presented.method else {
            return try refuse("The client must authenticate with its registered method.",
                              debug: "used \(presented.method.rawValue), registered \(client.authMethod.rawValue)")
        }
        switch presented {
        case .basic(_, let secret), .post(_, let secret):
            guard !client.isPublic, ClientSecrets.verify(secret, hash: client.secretHash, pepper: configuration.clientSecretPepper) else {
                return try refuse(OAuthError.Code.invalidClient.defaultDescription, debug: "wrong client secret")
            }
        case .none:
            guard client.isPublic else { return try refuse("The client must authenticate.", debug: "confidential client registered with none") }
            guard publicClients == .allowed else {
                return try refuse("Public clients cannot use this endpoint.", debug: "public client at \(endpoint)")
            }
        case .assertion(_, let assertion):
            switch ClientAssertionVerifier(configuration: configuration, endpoint: endpoint).verify(assertion, client: client, now: now) {
            case .failure(let failure):
                return try refuse(failure.description, debug: failure.debug)
            case .success(let checked):
                let fresh = try storage.recordClientAssertion(clientID: client.id, jti: checked.jti, expiresAt: checked.rememberUntil, at: now)
                guard fresh else { return try refuse("The client assertion was already used.", debug: "replayed jti") }
            }
        }
        return .success(client)
    }

    private func audit(
        clientID: String?, method: ClientAuthMethod?, reason: String, _ request: EndpointRequest, _ now: Date, _ storage: some AuditStorage
    ) throws {
        let id = clientID.flatMap { (try? Client.validateID($0)) == nil ? nil : $0 }
        var detail = ["reason": reason, "endpoint": endpoint]
        if let method { detail["method"] = method.rawValue }
        try storage.appendAudit(AuditRecord(
            action: AuditAction.clientAuthenticationFailure, actor: id.map { "client:\($0)" } ?? "anonymous", target: id,
            clientID: id, sourceIP: request.sourceIP, result: .failure, detail: detail, time: now))
    }
}
