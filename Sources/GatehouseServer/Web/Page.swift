import Foundation
import GatehouseCrypto
import Hummingbird

/// A server-rendered page: the shared layout (language, title, inline style, language switch)
/// around a body, answered with its Content-Security-Policy. No page carries script.
///
/// ```swift
/// Page(language: .vi, title: t.signIn, body: "<p>\(t.signedOut)</p>").response()
/// ```
struct Page: Sendable {
    var language: Language
    var title: String
    var body: HTML
    var status: HTTPResponse.Status = .ok
    /// Origins the page's forms may end up at after a redirect (`form-action`, CSP Level 3 §6.4.1):
    /// the client's redirect URI after the login form, for browsers that check the redirect too.
    var formTargets: [String] = []
    /// The link to the same page in the other language.
    var switchLink: String?

    /// The whole document.
    var document: HTML {
        let t = Texts.of(language)
        let switcher: HTML = switchLink.map { link in
            let other = language.other
            return "<nav aria-label=\"\(t.switchLanguage)\"><a href=\"\(link)\" hreflang=\"\(other.rawValue)\" lang=\"\(other.rawValue)\">\(other.ownName)</a></nav>"
        } ?? ""
        return Self.shell(language: language, title: "\(title) · \(t.productName)", css: PageStyle.css,
                          header: "<p class=\"brand\">\(t.productName)</p>\(switcher)", body: "<h1>\(title)</h1>\n\(body)")
    }

    /// The document every server-rendered page shares (login pages and the console): UTF-8,
    /// the language, no referrer, the inline style sheet its CSP allows, a header and `main`.
    static func shell(language: Language, title: String, css: String, header: HTML, body: HTML) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title)</title>
        <style>\(HTML(stringLiteral: css))</style>
        </head>
        <body>
        <header>\(header)</header>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// An HTML response: `text/html`, the page's CSP, `Cache-Control: no-store`.
    static func htmlResponse(_ document: HTML, status: HTTPResponse.Status, contentSecurityPolicy: String, headers extra: HTTPFields) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document.markup)))
    }

    /// The response: `text/html`, this page's CSP, `Cache-Control: no-store`; the other
    /// security headers come from ``SecurityHeadersMiddleware``.
    func response(headers extra: HTTPFields = [:]) -> Response {
        Self.htmlResponse(document, status: status, contentSecurityPolicy: ContentSecurityPolicy.header(formTargets: formTargets), headers: extra)
    }
}

/// The pages' only style sheet, inline and allowed by its hash (CSP Level 3 §8.4), so that
/// `style-src` names exactly this text and nothing an attacker could inject.
enum PageStyle {
    static let css = """
    :root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;line-height:1.5}\
    body{margin:0;background:#f4f5f7;color:#1b1f24}\
    header{display:flex;justify-content:space-between;align-items:center;padding:.75rem 1.25rem;background:#8b1a1a;color:#fff}\
    header a{color:#fff}\
    .brand{margin:0;font-weight:700}\
    main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d0d4da;border-radius:.5rem}\
    h1{font-size:1.4rem;margin-top:0}\
    label{display:block;margin-top:1rem;font-weight:600}\
    input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:.6rem;margin-top:.25rem;font-size:1rem;border:1px solid #8a929c;border-radius:.25rem}\
    input:focus,button:focus,a:focus{outline:3px solid #f2b705;outline-offset:1px}\
    button{margin-top:1.25rem;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:.25rem;background:#8b1a1a;color:#fff;cursor:pointer}\
    button.secondary{background:#e4e7eb;color:#1b1f24;margin-left:.5rem}\
    .error{padding:.75rem;border-left:4px solid #b00020;background:#fdecee}\
    .hint{color:#4a525c;font-size:.9rem}\
    code{word-break:break-all}
    """

    /// `'sha256-…'` of ``css`` (standard base64, CSP Level 3 §2.3.1).
    static let hashSource: String = "'sha256-" + Data(Digest.sha256(css)).base64EncodedString() + "'"
}

/// The Content-Security-Policy of every page: nothing but the inline style, images from
/// here, forms posted here, never framed (RFC 9700 §4.16 clickjacking), no `<base>`.
enum ContentSecurityPolicy {
    static func header(formTargets: [String] = []) -> String {
        let sources = (["'self'"] + formTargets.compactMap { sourceExpression(for: $0) }).reduce(into: [String]()) { list, s in
            if !list.contains(s) { list.append(s) }
        }
        return "default-src 'none'; style-src \(PageStyle.hashSource); img-src 'self' data:; "
            + "form-action \(sources.joined(separator: " ")); frame-ancestors 'none'; base-uri 'none'"
    }

    /// The CSP source expression for a redirect target: `scheme://host[:port]` for http(s),
    /// `scheme:` for a private-use scheme (RFC 8252 §7.1); `nil` for anything a header could not
    /// carry safely.
    static func sourceExpression(for uri: String) -> String? {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased() else { return nil }
        let source: String
        if scheme == "http" || scheme == "https" {
            guard let host = components.host, !host.isEmpty else { return nil }
            let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            source = "\(scheme)://\(bracketed)" + (components.port.map { ":\($0)" } ?? "")
        } else {
            source = "\(scheme):"
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-+:/[]")
        return source.allSatisfy(allowed.contains) ? source : nil
    }
}
