public import Hummingbird

extension BackchannelLogoutReceiver {
    /// Adds `POST path` (the registered `backchannel_logout_uri`) to `router`.
    ///
    /// ```swift
    /// receiver.addRoute(to: router, path: "/backchannel-logout")
    /// ```
    public func addRoute<Context: RequestContext>(to router: some RouterMethods<Context>, path: String = "/backchannel-logout") {
        router.post(RouterPath(path)) { request, context -> Response in
            try await self.response(to: request, context: context)
        }
    }

    /// Answers one back-channel logout request (§2.8): `200`, or `400` with a JSON error.
    /// Bodies over 64 KB are refused.
    public func response(to request: Request, context: some RequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let result = await receive(formBody: String(buffer: body))
        if let failure = result.failure {
            context.logger.notice("back-channel logout refused", metadata: ["reason": "\(failure)"])
        }
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if result.status != 200 { headers[.contentType] = "application/json" }
        return Response(status: HTTPResponse.Status(code: result.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: result.body)))
    }
}
