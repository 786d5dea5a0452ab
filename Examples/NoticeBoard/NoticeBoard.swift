import Foundation
import GatehouseMiddleware
import Hummingbird
import Logging

/// A small party application that accepts Gatehouse logins: a public page, a page that needs
/// a login, a page that needs the `clerk` role at a unit, and a JSON API for bearer tokens.
/// Configured from the environment:
///
/// | variable | meaning |
/// |---|---|
/// | `GATEHOUSE_ISSUER` | the Gatehouse issuer URL |
/// | `NOTICEBOARD_URL` | this application's own base URL, e.g. `http://127.0.0.1:9090` |
/// | `NOTICEBOARD_CLIENT_ID`, `NOTICEBOARD_CLIENT_SECRET` | its client at Gatehouse |
/// | `NOTICEBOARD_COOKIE_KEY` | 64 hex digits, the same on every instance (random if unset) |
/// | `NOTICEBOARD_REVOCATION_LATENCY` | seconds within which revocations apply (default 5) |
@main
struct NoticeBoard {
    static func main() async throws {
        let env = ProcessInfo.processInfo.environment
        func required(_ name: String) -> String {
            guard let value = env[name], !value.isEmpty else {
                FileHandle.standardError.write(Data("noticeboard: \(name) must be set\n".utf8))
                exit(2)
            }
            return value
        }
        let issuer = required("GATEHOUSE_ISSUER"), base = required("NOTICEBOARD_URL")
        let clientID = required("NOTICEBOARD_CLIENT_ID"), secret = required("NOTICEBOARD_CLIENT_SECRET")
        let latency = Duration.milliseconds(Int((Double(env["NOTICEBOARD_REVOCATION_LATENCY"] ?? "5") ?? 5) * 1000))
        guard let url = URLComponents(string: base), let host = url.host, let port = url.port else {
            FileHandle.standardError.write(Data("noticeboard: NOTICEBOARD_URL must be like http://127.0.0.1:9090\n".utf8))
            exit(2)
        }
        let logger = Logger(label: "noticeboard")

        // 1. Discover Gatehouse and load its keys; poll its revocation feed.
        let gatehouse = try await GatehouseApplicationVerifier.discover(
            GatehouseVerifierConfiguration(issuer: issuer, audience: clientID), logger: logger)
        guard let feed = gatehouse.revocationFeed(clientID: clientID, clientSecret: secret, latency: latency) else {
            FileHandle.standardError.write(Data("noticeboard: \(issuer) publishes no revocation feed\n".utf8))
            exit(2)
        }
        try await feed.poll()

        // 2. Browser logins (authorization code flow, session cookie) and back-channel logout.
        let cookieKey = env["NOTICEBOARD_COOKIE_KEY"].flatMap(hexBytes) ?? (0..<32).map { _ in UInt8.random(in: 0...255) }
        let rp = gatehouse.relyingParty(RelyingPartyConfiguration(
            clientID: clientID, clientSecret: secret, redirectURI: base + "/callback",
            postLogoutRedirectURI: base + "/", cookieKey: cookieKey))

        let router = Router(context: BasicIdentityRequestContext.self)
        rp.addRoutes(to: router)
        gatehouse.backchannelLogoutReceiver(clientID: clientID).addRoute(to: router, path: "/backchannel-logout")

        // 3. The application's own routes.
        router.group().add(middleware: rp.sessionMiddleware(context: BasicIdentityRequestContext.self))
            .get("/") { _, context in
                Page.html("Bảng tin", context.identity.map { "Signed in as \($0.name). <a href=\"/notices\">Notices</a>" + Page.logoutButton }
                    ?? "Public notices for everyone. <a href=\"/notices\">Sign in to read the rest.</a>")
            }
        let members = router.group().add(middleware: rp.sessionMiddleware(requireLogin: true, context: BasicIdentityRequestContext.self))
        members.get("/notices") { _, context in
            let identity = try context.requireIdentity()
            let roles = identity.roles.map { "<li>\(Page.escape($0.description))</li>" }.joined()
            return Page.html("Notices", "Signed in as \(identity.name), home unit \(Page.escape(identity.unit?.description ?? "none")).<ul>\(roles)</ul>" + Page.logoutButton)
        }
        members.group("/reports")
            .add(middleware: RequireRoleMiddleware<BasicIdentityRequestContext>("clerk", at: .custom({ request, _ in
                request.uri.queryParameters.get("unit").flatMap(UnitPath.init)
            }), realm: gatehouse.configuration.realm))
            .get { request, context in
                let unit = request.uri.queryParameters.get("unit") ?? "/"
                return Page.html("Reports", "Reports of \(Page.escape(unit)) for \(try context.requireIdentity().name).")
            }
        router.group("/api").add(middleware: BearerTokenMiddleware<BasicIdentityRequestContext>(verifier: gatehouse.verifier))
            .get("/notices") { _, context -> Response in
                let identity = try context.requireIdentity()
                let body = try JSONEncoder().encode(["subject": identity.subject, "unit": identity.unit?.description ?? ""])
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }

        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                              services: [feed], onServerRunning: { _ in FileHandle.standardOutput.write(Data("noticeboard listening on \(base)\n".utf8)) }, logger: logger)
        try await app.runService()
    }

    static func hexBytes(_ hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count == 64 else { return nil }
        return stride(from: 0, to: 64, by: 2).compactMap { UInt8(String(decoding: chars[$0..<$0 + 2], as: UTF8.self), radix: 16) }
    }
}

extension VerifiedIdentity {
    /// The person's name from the ID token, else the subject.
    var name: String { Page.escape(claims["name"]?.stringValue ?? claims["preferred_username"]?.stringValue ?? subject) }
}

enum Page {
    static let logoutButton = #"<form method="post" action="/logout"><button>Sign out</button></form>"#

    static func html(_ title: String, _ body: String) -> Response {
        let page = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>\(escape(title))</title></head><body><h1>\(escape(title))</h1><p>\(body)</p></body></html>"
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
