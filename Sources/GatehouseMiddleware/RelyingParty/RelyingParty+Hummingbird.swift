public import Hummingbird
import Foundation
import HTTPTypes

extension RelyingParty {
    /// Adds the login routes to `router`: `GET loginPath` (starts a login; `?return_to=/path`),
    /// `GET` the callback (the path of the registered redirect URI), and `POST logoutPath`
    /// (logs out here and at Gatehouse; a `POST`, so that another site cannot log the user
    /// out with a link, and the `SameSite=Lax` session cookie is not sent on cross-site posts).
    ///
    /// ```swift
    /// rp.addRoutes(to: router)
    /// router.group("/notices").add(middleware: rp.sessionMiddleware(requireLogin: true))
    /// ```
    public func addRoutes<Context: RequestContext>(to router: some RouterMethods<Context>, loginPath: String = "/login",
                                                   logoutPath: String = "/logout") {
        router.get(RouterPath(loginPath)) { request, _ -> Response in
            let redirect = self.startLogin(returnTo: request.uri.queryParameters.get("return_to") ?? "/")
            return Self.redirect(redirect.location, cookies: redirect.setCookies)
        }
        router.get(RouterPath(URLComponents(string: configuration.redirectURI)?.path ?? "/callback")) { request, _ -> Response in
            do throws(RelyingPartyError) {
                let login = try await self.finishLogin(query: request.uri.query ?? "", cookieHeader: request.headers[.cookie])
                return Self.redirect(login.returnTo, cookies: login.setCookies)
            } catch {
                return Self.page(status: .badRequest, title: "Login failed", message: error.description, linkTo: loginPath)
            }
        }
        router.post(RouterPath(logoutPath)) { request, _ -> Response in
            let redirect = self.logout(cookieHeader: request.headers[.cookie])
            return Self.redirect(redirect.location, cookies: redirect.setCookies)
        }
    }

    /// Middleware that puts the session's identity in the context. With `requireLogin`, a
    /// `GET` without a session is sent to log in (and back), anything else gets `401`.
    public func sessionMiddleware<Context: IdentityRequestContext>(requireLogin: Bool = false, loginPath: String = "/login",
                                                                   context: Context.Type = Context.self) -> RelyingPartySessionMiddleware<Context> {
        RelyingPartySessionMiddleware(relyingParty: self, requireLogin: requireLogin, loginPath: loginPath)
    }

    static func redirect(_ location: String, cookies: [String]) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .found, headers: headers)
    }

    static func page(status: HTTPResponse.Status, title: String, message: String, linkTo: String) -> Response {
        let html = """
            <!doctype html><html><head><meta charset="utf-8"><title>\(escape(title))</title></head>
            <body><h1>\(escape(title))</h1><p>\(escape(message))</p><p><a href="\(escape(linkTo))">Try again</a></p></body></html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// HTML text escaping, so that no message can inject markup.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// Puts the identity of the request's relying-party session (``RelyingParty/session(cookieHeader:now:)``)
/// in the context; see ``RelyingParty/sessionMiddleware(requireLogin:loginPath:context:)``.
public struct RelyingPartySessionMiddleware<Context: IdentityRequestContext>: RouterMiddleware {
    let relyingParty: RelyingParty
    let requireLogin: Bool
    let loginPath: String

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let session = relyingParty.session(cookieHeader: request.headers[.cookie]) {
            context.identity = session.identity
        } else if requireLogin {
            guard request.method == .get || request.method == .head else { throw HTTPError(.unauthorized, message: "Log in first.") }
            let target = FormEncoding.encode([("return_to", request.uri.description)])
            return RelyingParty.redirect(loginPath + "?" + target, cookies: [])
        }
        return try await next(request, context)
    }
}
