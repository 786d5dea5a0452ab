import GatehouseOAuth
import HTTPTypes
import Hummingbird

extension Response {
    /// A redirect: `303 See Other` after a form post, so the browser follows with GET and never
    /// re-posts credentials (RFC 9700 §4.12), `302 Found` otherwise (RFC 6749 §4.1.2).
    static func redirect(to location: String, afterPost: Bool, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: afterPost ? .seeOther : .found, headers: headers)
    }

    /// The engine's response, copied unchanged.
    init(_ response: OAuthHTTPResponse) {
        var headers = HTTPFields()
        for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        self.init(status: .init(code: response.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    /// A JSON error of a protocol endpoint whose body was too large (RFC 9110 §15.5.14).
    static func jsonTooLarge(realm: String) -> Response {
        var response = Response(OAuthError(.invalidRequest, "The request body is too large.").httpResponse(realm: realm))
        response.status = .contentTooLarge
        return response
    }

    /// Adds `Set-Cookie` fields.
    func setting(cookies: [String]) -> Response {
        var copy = self
        for cookie in cookies { copy.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return copy
    }
}
