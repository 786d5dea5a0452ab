import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseOAuth
import GatehouseSCIM
import GatehouseStore
import Hummingbird
import HTTPTypes

/// What a SCIM handler answers: a JSON document as `application/scim+json` (RFC 7644 §3.1),
/// with an entity tag when the document is one version of a resource (§3.14).
enum SCIMReply {
    case document(SCIMValue, status: HTTPResponse.Status = .ok, etag: String? = nil, location: String? = nil)
    case noContent
    case notModified(etag: String)

    /// The media type of every SCIM body (RFC 7644 §8.1).
    static let mediaType = "application/scim+json"

    func response() -> Response {
        switch self {
        case .noContent:
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        case .notModified(let etag):
            return Response(status: .notModified, headers: [.eTag: etag, .cacheControl: "no-store"])
        case .document(let value, let status, let etag, let location):
            var headers: HTTPFields = [.contentType: Self.mediaType, .cacheControl: "no-store"]
            if let etag { headers[.eTag] = etag }
            if let location { headers[.location] = location }
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.jsonString)))
        }
    }
}

extension SCIMError {
    /// The SCIM error (RFC 7644 §3.12) for any failure of a SCIM request: admin refusals keep
    /// their status, with `uniqueness` for a username taken and `invalidValue` for a rule of
    /// the data; anything unexpected is a 500 without detail.
    static func from(_ error: any Error) -> SCIMError {
        switch error {
        case let e as SCIMError:
            return e
        case let e as AdminError:
            switch e {
            case .forbidden(let m): return SCIMError(status: 403, scimType: nil, detail: m)
            case .notFound(let m): return SCIMError(status: 404, scimType: nil, detail: m)
            case .invalid(let m): return .invalidValue(m)
            case .conflict(let m): return SCIMError(.uniqueness, m)
            case .preconditionFailed(let m): return SCIMError(status: 412, scimType: nil, detail: m)
            case .unavailable(let m): return SCIMError(status: 503, scimType: nil, detail: m)
            }
        case let e as DomainError:
            return .invalidValue(e.description)
        case let e as StoreError:
            return SCIMError(status: 503, scimType: nil, detail: e.description)
        default:
            return SCIMError(status: 500, scimType: nil, detail: "the request could not be completed")
        }
    }

    /// 404 for a resource that does not exist or lies outside the caller's reach.
    static func notFound(_ detail: String) -> SCIMError { SCIMError(status: 404, scimType: nil, detail: detail) }

    /// 413 (RFC 7644 §3.7.4): a body or a bulk request over the advertised limits. RFC 7644
    /// defines no `scimType` for it; the detail names the limit.
    static func tooLarge(_ detail: String) -> SCIMError { SCIMError(status: 413, scimType: nil, detail: detail) }

    /// The error as a response; `headers` adds a challenge (`WWW-Authenticate`) when there is one.
    func response(headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: SCIMReply.mediaType, .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: json.jsonString)))
    }
}

extension OAuthError {
    /// The bearer-token refusal (RFC 6750 §3: 401 `invalid_token` or 403 `insufficient_scope`)
    /// as a SCIM error, keeping the `WWW-Authenticate` challenge.
    func scimResponse(realm: String) -> Response {
        let http = httpResponse(realm: realm)
        var headers = HTTPFields()
        for (name, value) in http.headers where name.lowercased() == "www-authenticate" {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let detail = http.status == 401 ? "a valid access token with the \(AdminRoutes.scope) scope is required" : description
        return SCIMError(status: http.status, scimType: nil, detail: detail).response(headers: headers)
    }
}
