public import Hummingbird
import HTTPTypes

/// Security headers on the provider's responses:
/// - on every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (codes
///   and states stay out of `Referer`), and `Strict-Transport-Security` when the issuer is https
///   (RFC 6797);
/// - on HTML: a `Content-Security-Policy` without any script source and with
///   `frame-ancestors 'none'` (the page's own, or ``ContentSecurityPolicy/header(formTargets:)``),
///   and `X-Frame-Options: DENY` against clickjacking (RFC 9700 §4.16, RFC 7034), and
///   `Cache-Control: no-store` unless the page set its own;
/// - on everything else (JSON, plain text, empty answers): `Content-Security-Policy:
///   default-src 'none'; frame-ancestors 'none'`, so that a response opened as a document can
///   neither run nor load anything, nor be framed.
///
/// The router adds it in front of every route, so errors and unknown paths carry it too.
///
/// ```swift
/// router.middlewares.add(SecurityHeadersMiddleware<GatehouseRequestContext>(strictTransportSecurity: true))
/// ```
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let strictTransportSecurity: Bool

    /// - Parameter strictTransportSecurity: send HSTS (`max-age` one year); true when the issuer is https.
    public init(strictTransportSecurity: Bool) { self.strictTransportSecurity = strictTransportSecurity }

    /// The policy of responses that are not pages.
    static var nonDocumentPolicy: String { "default-src 'none'; frame-ancestors 'none'" }

    /// Adds the headers to the response `next` produced.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // An error that chooses its own answer (404 for an unknown path, 413): answered here,
            // so it carries the headers too.
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        if strictTransportSecurity { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        if response.headers[.contentType]?.lowercased().hasPrefix("text/html") == true {
            if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = ContentSecurityPolicy.header() }
            response.headers[.xFrameOptions] = "DENY"
            if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        } else if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.nonDocumentPolicy
        }
        return response
    }
}

extension HTTPField.Name {
    /// `X-Frame-Options` (RFC 7034).
    static var xFrameOptions: Self { Self("X-Frame-Options")! }
    /// `Referrer-Policy` (W3C Referrer Policy §4.1).
    static var referrerPolicy: Self { Self("Referrer-Policy")! }
    /// `Pragma` (RFC 9111 §5.4), which some OAuth clients still look for.
    static var pragma: Self { Self("Pragma")! }
}
