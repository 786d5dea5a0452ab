import GatehouseOAuth
import Hummingbird

/// The page templates. Every value from a request, the store or a client registration enters
/// through ``HTML`` interpolation and is escaped there.
enum Pages {
    /// Fields every form of an interaction carries: the sealed flow state, the CSRF token
    /// (double submit) and the page language.
    struct FormState: Sendable {
        var flow: String
        var csrf: String
        var language: Language

        var hiddenFields: HTML {
            """
            <input type="hidden" name="flow" value="\(flow)">
            <input type="hidden" name="csrf" value="\(csrf)">
            <input type="hidden" name="lang" value="\(language.rawValue)">
            """
        }
    }

    /// The login form (username and password). `error` is the one message for every failure.
    static func login(action: String, form: FormState, clientName: String, username: String?, error: String?,
                      switchLink: String?, formTarget: String) -> Page {
        let t = Texts.of(form.language)
        return Page(language: form.language, title: t.signIn, body: """
            <p>\(t.signInTo(clientName))</p>
            \(errorBox(error))
            <form method="post" action="\(action)">
            \(form.hiddenFields)
            <label for="username">\(t.username)</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="256" required value="\(username)">
            <label for="password">\(t.password)</label>
            <input id="password" name="password" type="password" autocomplete="current-password" maxlength="1024" required>
            <button type="submit">\(t.signIn)</button>
            </form>
            """, formTargets: [formTarget], switchLink: switchLink)
    }

    /// The forced password change after a correct password (`mustChangePassword` or expiry).
    static func changePassword(action: String, form: FormState, username: String, expired: Bool, problems: [String],
                               minimumLength: Int, formTarget: String) -> Page {
        let t = Texts.of(form.language)
        let list: HTML = problems.isEmpty ? "" : """
            <div class="error" role="alert"><ul>\(HTML.joined(problems.map { "<li>\($0)</li>" }))</ul></div>
            """
        return Page(language: form.language, title: t.changePassword, body: """
            <p>\(expired ? t.passwordExpired : t.mustChangePassword)</p>
            \(list)
            <form method="post" action="\(action)">
            \(form.hiddenFields)
            <input type="text" name="username" value="\(username)" autocomplete="username" hidden readonly>
            <label for="new-password">\(t.newPassword)</label>
            <input id="new-password" name="new_password" type="password" autocomplete="new-password" aria-describedby="password-rules" maxlength="1024" required>
            <p class="hint" id="password-rules">\(t.passwordRules(minimum: minimumLength))</p>
            <label for="confirm-password">\(t.confirmPassword)</label>
            <input id="confirm-password" name="confirm_password" type="password" autocomplete="new-password" maxlength="1024" required>
            <button type="submit">\(t.changeAndContinue)</button>
            </form>
            """, formTargets: [formTarget])
    }

    /// The consent page (`prompt=consent`): the scopes asked for, allow or deny.
    static func consent(action: String, form: FormState, clientName: String, scopes: [String], switchLink: String?,
                        formTarget: String) -> Page {
        let t = Texts.of(form.language)
        return Page(language: form.language, title: t.consentTitle, body: """
            <p>\(t.consentQuestion(clientName))</p>
            <ul>\(HTML.joined(scopes.map { "<li>\(t.scope($0))</li>" }))</ul>
            <form method="post" action="\(action)">
            \(form.hiddenFields)
            <button type="submit" name="decision" value="allow">\(t.allow)</button>
            <button type="submit" name="decision" value="deny" class="secondary">\(t.deny)</button>
            </form>
            """, formTargets: [formTarget], switchLink: switchLink)
    }

    /// The RP-initiated logout confirmation (OpenID Connect RP-Initiated Logout 1.0 §2).
    static func confirmLogout(action: String, form: FormState, formTarget: String?) -> Page {
        let t = Texts.of(form.language)
        return Page(language: form.language, title: t.signOut, body: """
            <p>\(t.signOutQuestion)</p>
            <form method="post" action="\(action)">
            \(form.hiddenFields)
            <button type="submit">\(t.signOut)</button>
            </form>
            """, formTargets: formTarget.map { [$0] } ?? [])
    }

    /// After a logout without a post-logout redirect.
    static func signedOut(language: Language) -> Page {
        let t = Texts.of(language)
        return Page(language: language, title: t.signOut, body: "<p role=\"status\">\(t.signedOut)</p><p>\(t.signedOutDetail)</p>")
    }

    /// An error shown to the user, never redirected: `message` in the page language, and the
    /// protocol error's code and description (ASCII, for the application's developers).
    static func error(language: Language, status: HTTPResponse.Status, message: String, detail: OAuthError? = nil) -> Page {
        let t = Texts.of(language)
        let technical: HTML = detail.map { e in
            "<p class=\"hint\">\(t.technicalDetail): <code>\(e.code.rawValue)</code> — \(e.description)</p>"
        } ?? ""
        return Page(language: language, title: t.errorTitle, body: """
            <p class="error" role="alert">\(message)</p>
            \(technical)
            """, status: status)
    }

    private static func errorBox(_ message: String?) -> HTML {
        message.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
    }
}
