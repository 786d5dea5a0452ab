import Hummingbird

/// `GET` and `POST /userinfo` (OIDC Core §5.3): the access token in `Authorization: Bearer`
/// (RFC 6750 §2.1); errors are `401`/`403` with `WWW-Authenticate: Bearer error="…"` (RFC 6750 §3).
/// A POST body is read within the form limit and ignored: the token is taken from the header only.
struct UserInfoRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        let path = RouterPath(services.paths.userInfo)
        router.get(path) { request, _ in
            Response(await services.engine.userInfo(authorization: request.headers[.authorization]))
        }
        router.post(path) { request, _ in
            if case .failure(.tooLarge) = await FormBody.read(request) { return Response.jsonTooLarge(realm: services.issuer) }
            return Response(await services.engine.userInfo(authorization: request.headers[.authorization]))
        }
    }
}
