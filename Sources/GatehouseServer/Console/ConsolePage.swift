import Foundation
import GatehouseCrypto
import Hummingbird
import HTTPTypes

/// A console page: the layout (navigation, who is signed in, the sign-out form, the language
/// switch) around a body, with a Content-Security-Policy of its own: no script at all, the
/// console's style sheet allowed by its hash (CSP Level 3 §8.4), forms posted here only.
///
/// ```swift
/// ConsolePage(language: .en, title: "Accounts", body: "<p>…</p>", chrome: chrome).response()
/// ```
struct ConsolePage: Sendable {
    var language: Language
    var title: String
    var body: HTML
    var status: HTTPResponse.Status = .ok
    /// The navigation and the sign-out form; `nil` on pages shown without a session.
    var chrome: Chrome?
    /// The link to the same page in the other language.
    var switchLink: String?

    /// What the layout needs of a signed-in request.
    struct Chrome: Sendable {
        var base: String
        var username: String
        var csrf: String
    }

    var document: HTML {
        let t = ConsoleTexts.of(language)
        let switcher: HTML = switchLink.map { link in
            let other = language.other
            return "<a href=\"\(link)\" hreflang=\"\(other.rawValue)\" lang=\"\(other.rawValue)\">\(other.ownName)</a>"
        } ?? ""
        let navigation: HTML = chrome.map { c in
            """
            <nav aria-label="\(t.console)"><a href="\(c.base)">\(t.home)</a> <a href="\(c.base)/accounts">\(t.accounts)</a> \
            <a href="\(c.base)/accounts/new">\(t.newAccount)</a> <a href="\(c.base)/units">\(t.units)</a> <a href="\(c.base)/audit">\(t.audit)</a></nav>
            <div class="who"><span>\(t.signedInAs(c.username))</span>
            <form method="post" action="\(c.base)/logout" class="inline"><input type="hidden" name="csrf" value="\(c.csrf)"><button type="submit" class="link">\(t.signOut)</button></form>
            \(switcher)</div>
            """
        } ?? "<div class=\"who\">\(switcher)</div>"
        return Page.shell(language: language, title: "\(title) · \(t.console) · Gatehouse", css: ConsoleStyle.css,
                          header: "<p class=\"brand\">Gatehouse · \(t.console)</p>\(navigation)", body: "<h1>\(title)</h1>\n\(body)")
    }

    func response(headers extra: HTTPFields = [:]) -> Response {
        Page.htmlResponse(document, status: status, contentSecurityPolicy: ConsoleStyle.contentSecurityPolicy, headers: extra)
    }
}

/// The console's only style sheet, inline and allowed by its hash.
enum ConsoleStyle {
    static let css = """
    :root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;line-height:1.5}\
    body{margin:0;background:#f4f5f7;color:#1b1f24}\
    header{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;align-items:center;padding:.75rem 1.25rem;background:#8b1a1a;color:#fff}\
    header a,header button.link{color:#fff}\
    nav a{margin-right:.75rem}\
    .brand{margin:0;font-weight:700}\
    .who{display:flex;gap:.75rem;align-items:center}\
    main{max-width:64rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border:1px solid #d0d4da;border-radius:.5rem}\
    h1{font-size:1.4rem;margin-top:0}h2{font-size:1.15rem;margin-top:1.75rem}\
    label{display:block;margin-top:.75rem;font-weight:600}\
    input[type=text],input[type=password],input[type=email],select{box-sizing:border-box;width:100%;max-width:28rem;padding:.5rem;margin-top:.25rem;font-size:1rem;border:1px solid #8a929c;border-radius:.25rem}\
    input:focus,button:focus,a:focus,select:focus{outline:3px solid #f2b705;outline-offset:1px}\
    button{margin-top:.75rem;padding:.5rem 1rem;font-size:1rem;border:0;border-radius:.25rem;background:#8b1a1a;color:#fff;cursor:pointer}\
    button.link{background:none;padding:0;margin:0;text-decoration:underline;color:inherit}\
    button.secondary{background:#e4e7eb;color:#1b1f24}\
    form.inline{display:inline;margin:0}form.inline button{margin-top:0}\
    table{border-collapse:collapse;width:100%;margin-top:1rem}\
    th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #d0d4da;vertical-align:top}\
    .notice{padding:.75rem;border-left:4px solid #1a7f37;background:#e8f5ec}\
    .error{padding:.75rem;border-left:4px solid #b00020;background:#fdecee}\
    .hint{color:#4a525c;font-size:.9rem}\
    .secret{font-size:1.2rem;font-weight:700}\
    code{word-break:break-all}
    """

    /// `'sha256-…'` of ``css`` (standard base64, CSP Level 3 §2.3.1).
    static let hashSource: String = "'sha256-" + Data(Digest.sha256(css)).base64EncodedString() + "'"

    /// No script source at all; forms only to this origin; never framed (RFC 9700 §4.16).
    static let contentSecurityPolicy = "default-src 'none'; style-src \(hashSource); img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}
