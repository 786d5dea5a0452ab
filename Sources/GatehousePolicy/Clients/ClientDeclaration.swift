public import Foundation
public import GatehouseCore

/// A relying party declared in `Policies/clients.yaml`.
public struct ClientDeclaration: Hashable, Sendable {
    public var id: String
    public var name: String
    public var isPublic: Bool
    public var redirectURIs: [String]
    public var postLogoutRedirectURIs: [String]
    public var backchannelLogoutURI: String?
    public var grantTypes: Set<GrantType>
    public var scopes: Set<String>
    public var authMethod: ClientAuthMethod
    /// Where the client secret is read from (confidential clients using a secret).
    public var secret: SecretSource?
    /// A JWK Set file for `private_key_jwt` clients.
    public var jwksFile: String?
    public var idTokenSignedResponseAlg: SigningAlgorithm?
    /// The owning unit (`unit:`); `nil` for a client of the whole platform.
    public var unit: UnitPath?

    public init(
        id: String, name: String, isPublic: Bool, redirectURIs: [String], postLogoutRedirectURIs: [String] = [],
        backchannelLogoutURI: String? = nil, grantTypes: Set<GrantType>, scopes: Set<String>,
        authMethod: ClientAuthMethod, secret: SecretSource? = nil, jwksFile: String? = nil,
        idTokenSignedResponseAlg: SigningAlgorithm? = nil, unit: UnitPath? = nil
    ) {
        self.id = id
        self.name = name
        self.isPublic = isPublic
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.backchannelLogoutURI = backchannelLogoutURI
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.authMethod = authMethod
        self.secret = secret
        self.jwksFile = jwksFile
        self.idTokenSignedResponseAlg = idTokenSignedResponseAlg
        self.unit = unit
    }

    /// The store's form of this client. The caller reads ``secret`` and passes its keyed hash,
    /// and the JWK Set read from ``jwksFile``, so that secrets never pass through this module;
    /// it also resolves ``unit`` to the unit's id in the store (`nil` when ``unit`` is `nil`).
    public func client(secretHash: String?, jwks: String?, unitID: UUID? = nil, createdAt: Date, updatedAt: Date? = nil) -> Client {
        Client(id: id, name: name, secretHash: secretHash, jwks: jwks, isPublic: isPublic, authMethod: authMethod,
               redirectURIs: redirectURIs, postLogoutRedirectURIs: postLogoutRedirectURIs,
               backchannelLogoutURI: backchannelLogoutURI, grantTypes: grantTypes, scopes: scopes,
               idTokenSignedResponseAlg: idTokenSignedResponseAlg?.rawValue, fromPolicy: true, unitID: unitID,
               createdAt: createdAt, updatedAt: updatedAt)
    }
}
