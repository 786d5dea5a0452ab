import GatehouseCore
import GatehouseOAuth
import GatehousePolicy
import Hummingbird

/// `POST /login/password`: the password change a login requires before its session is granted
/// (`mustChangePassword`, or a password older than `password.yaml` `expiry_days`).
///
/// The form exists only in the answer to a correct password: its flow token names the account
/// and the account's version, is bound to the CSRF cookie and lives ten minutes. Until the new
/// password is stored no session exists, so going back to `/authorize` leads to the login
/// form again, never past the change. The new password must pass `PasswordPolicy.problems`
/// (each problem shown in the page language), match its confirmation and differ from the
/// current one; it is stored as Argon2id with the flag cleared, then the flow continues.
struct PasswordChangeRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        router.post(RouterPath(services.paths.loginPassword)) { request, context in
            await change(BrowserRequest(services, request, context))
        }
    }

    private func change(_ browser: BrowserRequest) async -> Response {
        let form: [String: String]
        switch await browser.readForm(browser.language()) {
        case .success(let parameters): form = parameters
        case .failure(let refusal): return refusal.response
        }
        guard let csrf = browser.verifiedCSRF(form) else { return browser.csrfRefused(browser.language(explicit: form["lang"])) }
        guard let token = form["flow"], let flow = services.sealer.open(token, csrf: csrf, step: .password, now: services.clock.now()),
              let authorization = flow.request, let accountID = flow.accountID, let version = flow.accountVersion
        else { return browser.flowRefused(browser.language(explicit: form["lang"])) }
        let language = browser.language(explicit: form["lang"], uiLocales: authorization.uiLocales)
        let t = Texts.of(language)

        let account: Account?
        do {
            account = try await services.store.read { tx in try? tx.account(id: accountID) }
        } catch {
            return browser.busy(language)
        }
        guard let account, account.version == version, account.status == .active, let currentHash = account.passwordHash else {
            return browser.flowRefused(language)
        }
        let newPassword = form["new_password"] ?? ""
        var problems = services.passwordPolicy.problems(with: newPassword, username: account.username.value,
                                                        displayName: account.displayName, commonPasswords: services.commonPasswords)
            .map(t.problem)
        if newPassword != (form["confirm_password"] ?? "") { problems.append(t.passwordsDiffer) }
        if problems.isEmpty {
            do {
                if try await services.passwords.verify(newPassword, against: currentHash).isValid { problems.append(t.sameAsCurrent) }
            } catch .overloaded, .shutDown, .cancelled {
                return browser.busy(language)
            } catch {
                // The current hash cannot be checked; the new password replaces it anyway.
            }
        }
        guard problems.isEmpty else {
            return Self.page(browser, token: token, csrf: csrf, language: language, username: account.username.value,
                             expired: flow.reason == "expired", problems: problems, formTarget: authorization.redirectURI)
        }
        let stored: Account?
        do {
            let hash = try await services.passwords.hash(newPassword)
            stored = try await services.storeNewPassword(accountID: account.id, version: version, hash: hash, sourceIP: browser.clientIP)
        } catch {
            browser.logger.error("password change failed", metadata: ["error": .string(String(describing: error))])
            return browser.busy(language)
        }
        guard let stored else { return browser.flowRefused(language) }
        return await LoginRoute.grant(browser, account: stored, verifiedHash: nil, rehash: nil, authorization: authorization, language: language)
    }

    /// The change form (after a correct password, or again with the problems of the last try).
    static func page(
        _ browser: BrowserRequest, token: String, csrf: String, language: Language, username: String, expired: Bool, problems: [String],
        formTarget: String
    ) -> Response {
        let services = browser.services
        return Pages.changePassword(action: services.paths.loginPassword, form: .init(flow: token, csrf: csrf, language: language),
                                    username: username, expired: expired, problems: problems,
                                    minimumLength: services.passwordPolicy.minLength, formTarget: formTarget).response()
    }
}
