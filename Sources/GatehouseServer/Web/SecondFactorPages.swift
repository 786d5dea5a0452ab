import GatehouseMFA

/// The pages of the second factor (RFC 6238 TOTP) inside the login: the code, the enrolment
/// and the recovery codes. Like every page, no script: the QR code is inline SVG drawn on the
/// server, and every value from outside enters through ``HTML`` interpolation.
extension Pages {
    /// The code step: a TOTP code, or a recovery code instead.
    static func secondFactor(action: String, form: FormState, error: String?, formTarget: String) -> Page {
        let t = Texts.of(form.language)
        return Page(language: form.language, title: t.secondFactorTitle, body: """
            <p>\(t.enterCode)</p>
            \(alert(error))
            <form method="post" action="\(action)">
            \(form.hiddenFields)
            <label for="code">\(t.code)</label>
            <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="64" required autofocus aria-describedby="recovery-hint">
            <p class="hint" id="recovery-hint">\(t.recoveryHint)</p>
            <button type="submit">\(t.verify)</button>
            </form>
            """, formTargets: [formTarget])
    }

    /// The enrolment step: the QR code of `otpauthURI`, the secret as grouped base32 for typing,
    /// the URI itself, and the field for the first code.
    static func enrolment(action: String, form: FormState, secret: TOTPSecret, otpauthURI: String, error: String?,
                          formTarget: String) -> Page {
        let t = Texts.of(form.language)
        return Page(language: form.language, title: t.enrolTitle, body: """
            <p>\(t.enrolIntro)</p>
            \(alert(error))
            <div class="qr" role="img" aria-label="\(t.qrLabel)">\(qrCode(otpauthURI))</div>
            <p>\(t.manualKey)</p>
            <p><code class="secret">\(groupedSecret(secret))</code></p>
            <p class="hint">\(t.setupLink): <code>\(otpauthURI)</code></p>
            <form method="post" action="\(action)">
            \(form.hiddenFields)
            <label for="code">\(t.code)</label>
            <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="64" required>
            <button type="submit">\(t.confirmAndContinue)</button>
            </form>
            """, formTargets: [formTarget])
    }

    /// The recovery codes of a new enrolment, shown this once, and the way on.
    static func recoveryCodes(action: String, form: FormState, codes: [RecoveryCode], formTarget: String) -> Page {
        let t = Texts.of(form.language)
        return Page(language: form.language, title: t.recoveryTitle, body: """
            <p role="status">\(t.recoveryIntro)</p>
            <ol class="codes">\(HTML.joined(codes.map { "<li><code>\($0.formatted)</code></li>" }))</ol>
            <p class="hint">\(t.recoveryShownOnce)</p>
            <form method="post" action="\(action)">
            \(form.hiddenFields)
            <button type="submit">\(t.savedContinue)</button>
            </form>
            """, formTargets: [formTarget])
    }

    private static func alert(_ message: String?) -> HTML {
        message.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
    }

    /// The secret in groups of four characters, as authenticator apps accept it typed.
    static func groupedSecret(_ secret: TOTPSecret) -> String {
        var groups: [Substring] = []
        var rest = Substring(secret.base32)
        while !rest.isEmpty {
            groups.append(rest.prefix(4))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }

    /// The QR code of `text` as an inline `<svg>` element (the standalone document without its
    /// XML declaration). It is drawn from module positions only and carries no text from outside,
    /// so it is trusted markup; 4 px per module.
    static func qrCode(_ text: String) -> HTML {
        guard let symbol = try? QRCode(text: text) else { return "" }
        let document = symbol.svg(moduleSize: 4)
        guard let start = document.range(of: "<svg") else { return "" }
        return HTML(stringLiteral: String(document[start.lowerBound...]))
    }
}
