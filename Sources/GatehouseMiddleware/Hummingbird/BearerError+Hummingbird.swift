public import Hummingbird

extension BearerError: HTTPResponseError {
    /// ``statusCode`` as a Hummingbird status.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    /// The RFC 6750 §3 response: the status, `WWW-Authenticate`, `Cache-Control: no-store`,
    /// and the JSON error body when there is an error code.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.wwwAuthenticate: challenge, .cacheControl: "no-store"]
        guard let body else { return Response(status: status, headers: headers) }
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
