import Foundation
import GatehouseCore
import GatehouseCrypto

/// The credentials a request to the token, introspection or revocation endpoint carries,
/// before any of them is checked.
enum PresentedCredentials {
    /// `Authorization: Basic` with the urlencoded id and secret (RFC 6749 §2.3.1).
    case basic(clientID: String, secret: String)
    /// `client_id` and `client_secret` in the body (RFC 6749 §2.3.1).
    case post(clientID: String, secret: String)
    /// `client_assertion` (RFC 7521 §4.2, RFC 7523 §2.2); the client id comes from the
    /// assertion's `sub` when `client_id` is absent.
    case assertion(clientID: String, assertion: String)
    /// `client_id` alone: a public client (RFC 6749 §2.1).
    case none(clientID: String)

    var clientID: String {
        switch self {
        case .basic(let id, _), .post(let id, _), .assertion(let id, _), .none(let id): id
        }
    }

    var method: ClientAuthMethod {
        switch self {
        case .basic: .clientSecretBasic
        case .post: .clientSecretPost
        case .assertion: .privateKeyJWT
        case .none: .none
        }
    }

    /// The client used HTTP Basic: an `invalid_client` answer is a 401 with a Basic challenge.
    var usedBasic: Bool { if case .basic = self { true } else { false } }

    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    /// Reads the credentials of `request`.
    /// - Throws: `invalid_request` when more than one method is used (RFC 6749 §2.3) or
    ///   `client_id` disagrees with the header; `invalid_client` (with a Basic challenge when the
    ///   header was Basic) when none is present or they are malformed.
    static func read(_ request: EndpointRequest) throws(OAuthError) -> PresentedCredentials {
        let form = ParameterReader(parameters: request.parameters)
        let clientID = try form.optional("client_id", maximumLength: 128)
        let secret = try form.optional("client_secret", maximumLength: 512)
        let assertion = try form.optional("client_assertion", maximumLength: 8192)
        let assertionType = try form.optional("client_assertion_type", maximumLength: 128)
        let basic = try request.authorization.flatMap { $0.isEmpty ? nil : $0 }.map { header throws(OAuthError) in try parseBasic(header) }

        let used = [basic != nil, secret != nil, assertion != nil || assertionType != nil].filter { $0 }.count
        guard used <= 1 else {
            throw OAuthError(.invalidRequest, "Use exactly one client authentication method.",
                             challenge: basic != nil ? .basic : nil)
        }
        if let basic {
            if let clientID, clientID != basic.clientID {
                throw OAuthError(.invalidRequest, "client_id differs from the client in the Authorization header.", challenge: .basic)
            }
            return .basic(clientID: basic.clientID, secret: basic.secret)
        }
        if let secret {
            guard let clientID else { throw OAuthError(.invalidClient, "client_id is required with client_secret.") }
            return .post(clientID: clientID, secret: secret)
        }
        if assertion != nil || assertionType != nil {
            guard assertionType == Self.assertionType, let assertion else {
                throw OAuthError(.invalidClient, "client_assertion_type must be \(Self.assertionType), with a client_assertion.")
            }
            guard let subject = unverifiedSubject(of: assertion) else {
                throw OAuthError(.invalidClient, "The client assertion is malformed.")
            }
            if let clientID, clientID != subject {
                throw OAuthError(.invalidClient, "client_id differs from the client assertion's subject.")
            }
            return .assertion(clientID: subject, assertion: assertion)
        }
        guard let clientID else { throw OAuthError(.invalidClient, "Client authentication is required.") }
        return .none(clientID: clientID)
    }


    /// `Authorization: Basic base64(urlencode(id) ":" urlencode(secret))`.
    static func parseBasic(_ header: String) throws(OAuthError) -> (clientID: String, secret: String) {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic" else {
            throw OAuthError(.invalidClient, "Only the Basic authentication scheme is accepted here.", challenge: .basic)
        }
        guard parts[1].utf8.count <= 2048, let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":"),
              let id = FormParameters.decode(text[..<colon]), let secret = FormParameters.decode(text[text.index(after: colon)...]),
              !id.isEmpty, !secret.isEmpty
        else {
            throw OAuthError(.invalidClient, "The Basic credentials are malformed.", challenge: .basic)
        }
        return (id, secret)
    }

    /// The `sub` of a compact JWS, read without verifying it: only to find the client whose
    /// keys will then verify it.
    static func unverifiedSubject(of assertion: String) -> String? {
        let segments = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3, let payload = Base64URL.decode(segments[1]),
              let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
              let sub = object["sub"] as? String, !sub.isEmpty, sub.utf8.count <= 128 else { return nil }
        return sub
    }
}
