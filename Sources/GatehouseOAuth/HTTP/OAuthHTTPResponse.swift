import Foundation
public import GatehouseJOSE

/// What an endpoint answers, free of any HTTP framework: a status, headers and a body.
/// The server copies it into its response unchanged.
///
/// ```swift
/// let response = await engine.token(EndpointRequest(parameters: form, authorization: header, sourceIP: ip))
/// return Response(status: .init(code: response.status), headers: response.headers, body: response.body)
/// ```
public struct OAuthHTTPResponse: Sendable, Hashable {
    /// HTTP status code.
    public var status: Int
    /// Header fields by name.
    public var headers: [String: String]
    /// The body (JSON for every endpoint here), possibly empty.
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `Cache-Control: no-store` and `Pragma: no-cache`: token, introspection and error
    /// responses must not be cached (RFC 6749 §5.1, RFC 7662 §2.2).
    public static let noStore = ["Cache-Control": "no-store", "Pragma": "no-cache"]

    /// A JSON response (`application/json;charset=UTF-8`) with `Cache-Control: no-store`.
    public static func json(_ object: [String: JSONValue], status: Int = 200, headers: [String: String] = [:]) -> OAuthHTTPResponse {
        var all = noStore.merging(headers) { _, new in new }
        all["Content-Type"] = "application/json;charset=UTF-8"
        return OAuthHTTPResponse(status: status, headers: all, body: JSONBody.encode(object))
    }

    /// The body parsed as a JSON object (for tests and logs); `nil` when it is not one.
    public var jsonObject: [String: JSONValue]? {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(body)))?.objectValue
    }
}

/// Compact JSON with sorted keys and unescaped slashes.
enum JSONBody {
    static func encode(_ object: [String: JSONValue]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: non-finite numbers are written as null.
        return (try? Array(encoder.encode(JSONValue.object(object)))) ?? Array("{}".utf8)
    }
}

extension OAuthError {
    /// The JSON error response (RFC 6749 §5.2, RFC 6750 §3, RFC 7009 §2.2.1): `error` and
    /// `error_description`, `Cache-Control: no-store`, and a `WWW-Authenticate` challenge in
    /// `realm` when ``challenge`` asks for one. `invalid_client` without a Basic challenge is
    /// answered with 400: a 401 must carry a challenge (RFC 9110 §15.5.2).
    public func httpResponse(realm: String) -> OAuthHTTPResponse {
        var status = code.httpStatus
        var headers: [String: String] = [:]
        let realmParameter = "realm=\"\(OAuthError.quoted(realm))\""
        switch challenge {
        case .basic:
            headers["WWW-Authenticate"] = "Basic \(realmParameter), charset=\"UTF-8\""
        case .bearer(let includeError):
            headers["WWW-Authenticate"] = includeError
                ? "Bearer \(realmParameter), error=\"\(code.rawValue)\", error_description=\"\(description)\""
                : "Bearer \(realmParameter)"
        case nil:
            if code == .invalidClient { status = 400 }
        }
        if case .bearer(includeError: false) = challenge {
            // RFC 6750 §3.1: a request without credentials gets the challenge and no error body.
            return OAuthHTTPResponse(status: 401, headers: headers.merging(OAuthHTTPResponse.noStore) { a, _ in a })
        }
        return .json(["error": .string(code.rawValue), "error_description": .string(description)], status: status, headers: headers)
    }

    /// `s` with `"` and `\` removed, for a quoted-string header parameter.
    static func quoted(_ s: String) -> String { s.filter { $0 != "\"" && $0 != "\\" } }
}
