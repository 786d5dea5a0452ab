import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseOAuth
import GatehousePolicy
import GatehouseStore
import Testing

/// The admin console, driven like a browser without script: sign-in through the server's own
/// `/authorize`, then search, create, grant, refusals, CSRF, language, expiry and sign-out.
@Suite struct ConsoleTests {
    typealias User = ConsoleHarness.User

    @Test func signsInThroughAuthorizeWithPKCEAndSealedCookies() async throws {
        try await ConsoleHarness.withServer { harness, browser in
            let start = try await browser.get("/console/accounts?q=an")
            #expect(start.status == .seeOther)
            let location = try #require(start.location)
            let query = try FormParameters.parse(try #require(URLComponents(string: location)?.percentEncodedQuery))
            #expect(query["client_id"] == "gatehouse-console")
            #expect(query["redirect_uri"] == ConsoleHarness.issuer + "/console/callback")
            #expect(query["scope"] == "openid profile gatehouse:admin")
            #expect(query["code_challenge_method"] == "S256")
            #expect(query["state"] != nil && query["nonce"] != nil && query["code_challenge"] != nil)
            let loginCookie = try #require(start.setCookies.first { $0.hasPrefix("__Secure-gh_console_login=") })
            for attribute in ["HttpOnly", "SameSite=Lax", "Path=/console", "Secure", "Max-Age=600"] {
                #expect(loginCookie.contains(attribute), "\(loginCookie)")
            }
            // The state and verifier are not readable in the cookie.
            #expect(!loginCookie.contains(query["state"]!))

            let client = try await harness.store.read { try $0.client(id: "gatehouse-console") }
            #expect(client.isPublic && client.scopes.contains("gatehouse:admin") && client.grantTypes == [.authorizationCode])
            #expect(client.postLogoutRedirectURIs == [ConsoleHarness.issuer + "/console"])

            let page = try await browser.openLogin(location)
            let back = try await browser.submitLogin(page, username: User.hanoiAdmin, password: ConsoleHarness.password)
            let callback = try #require(back.location)
            let signedIn = try await browser.get(Browser.local(callback))
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == "/console/accounts?q=an", "returns to the page first asked for")
            let session = try #require(signedIn.setCookies.first { $0.hasPrefix("__Secure-gh_console=") })
            for attribute in ["HttpOnly", "SameSite=Lax", "Path=/console", "Secure"] { #expect(session.contains(attribute), "\(session)") }
            #expect(!session.contains("eyJ"), "the access token is sealed, not stored as is")

            let accounts = try await browser.get("/console/accounts?q=an")
            #expect(accounts.status == .ok)
            #expect(accounts.body.contains(User.hanoiOfficial))
            #expect(accounts.header("Content-Security-Policy")?.contains("script") == false)
            #expect(accounts.header("Content-Security-Policy")?.contains("form-action 'self'") == true)

            // A replayed callback (the login cookie is gone) is refused.
            let replay = try await browser.get(Browser.local(callback))
            #expect(replay.status == .badRequest)
        }
    }

    @Test func searchesCreatesAndGrantsWithinTheAdministratorsSubtree() async throws {
        try await ConsoleHarness.withServer { harness, browser in
            browser.setAcceptLanguage("en")
            let home = try await browser.consoleLogin(User.hanoiAdmin)
            #expect(home.body.contains("province-admin@/ha-noi"))
            #expect(home.body.contains("Signed in as \(User.hanoiAdmin)"))

            // Search: Hà Nội only, by name, username or unit.
            let all = try await browser.get("/console/accounts")
            #expect(all.body.contains(User.hanoiOfficial) && !all.body.contains(User.hueOfficial))
            let byName = try await browser.get("/console/accounts?q=Nguy%E1%BB%85n")
            #expect(byName.body.contains(User.hanoiOfficial) && !byName.body.contains(User.clerk))
            let byUnit = try await browser.get("/console/accounts?unit=%2Fha-noi%2Fphuong-ba-dinh")
            #expect(byUnit.body.contains(User.clerk))
            let hue = try await browser.get("/console/accounts?q=le.thi")
            #expect(!hue.body.contains(User.hueOfficial))

            // Create, with the temporary password shown once.
            let form = try await browser.get("/console/accounts/new")
            #expect(form.status == .ok && form.field("csrf") != nil)
            let created = try await browser.consolePost("/console/accounts", from: form, [
                ("username", "pham.thi.mai"), ("display_name", "Phạm Thị <Mai>"), ("email", ""), ("unit", "/ha-noi/phuong-ba-dinh"),
                ("password", ""), ("active", "true"),
            ])
            #expect(created.status == .seeOther, "\(created.body)")
            let accountPage = try #require(created.location)
            #expect(accountPage.hasPrefix("/console/accounts/"))
            let shown = try await browser.get(accountPage)
            #expect(shown.status == .ok)
            #expect(shown.body.contains("Phạm Thị &lt;Mai&gt;") && !shown.body.contains("<Mai>"), "escaped")
            #expect(shown.body.contains("id=\"temporary-password\""))
            let again = try await browser.get(accountPage)
            #expect(!again.body.contains("id=\"temporary-password\""), "shown once")
            let mai = try await harness.account("pham.thi.mai")
            #expect(mai.mustChangePassword)

            // Grant a role the administrator holds, at a unit of the subtree.
            #expect(again.body.contains("<option value=\"clerk\">"))
            #expect(!again.body.contains("<option value=\"central-admin\">"))
            let granted = try await browser.consolePost(accountPage + "/grants", from: again, [("role", "clerk"), ("unit", "/ha-noi")])
            #expect(granted.status == .seeOther, "\(granted.body)")
            let withGrant = try await browser.get(accountPage)
            #expect(withGrant.body.contains("Granted clerk at /ha-noi"))
            let grants = try await harness.store.read { try $0.effectiveGrants(accountID: mai.id) }
            #expect(grants.map(\.description) == ["clerk@/ha-noi"])

            // Disable, then reset the password.
            let disabled = try await browser.consolePost(accountPage + "/status", from: withGrant, [("active", "false")])
            #expect(disabled.status == .seeOther)
            #expect(try await harness.account("pham.thi.mai").status == .disabled)
            let reset = try await browser.consolePost(accountPage + "/password-reset", from: withGrant, [])
            #expect(reset.status == .seeOther)
            #expect(try await browser.get(accountPage).body.contains("id=\"temporary-password\""))

            // Units and the audit trail.
            let units = try await browser.get("/console/units")
            #expect(units.body.contains("/ha-noi/phuong-ba-dinh") && !units.body.contains("/hue"))
            let audit = try await browser.get("/console/audit")
            #expect(audit.status == .ok && audit.body.contains("role.grant"))
        }
    }

    @Test func refusesWhatTheAdministratorMayNotDo() async throws {
        try await ConsoleHarness.withServer { harness, browser in
            browser.setAcceptLanguage("en")
            _ = try await browser.consoleLogin(User.hanoiAdmin)
            let an = try #require(harness.accounts[User.hanoiOfficial]).id.uuidString.lowercased()
            let le = try #require(harness.accounts[User.hueOfficial]).id.uuidString.lowercased()
            let page = try await browser.get("/console/accounts/\(an)")

            // central-admin at / is beyond a province administrator: 403 with the reason.
            let central = try await browser.consolePost("/console/accounts/\(an)/grants", from: page, [("role", "central-admin"), ("unit", "/")])
            #expect(central.status == .forbidden)
            #expect(central.body.contains("may not grant central-admin@/"))
            #expect(central.body.contains("Not allowed"))
            #expect(central.header("Content-Type")?.hasPrefix("text/html") == true)

            // An account of Huế: outside the reach, so as if it did not exist; changes are refused too.
            let hue = try await browser.get("/console/accounts/\(le)")
            #expect(hue.status == .notFound)
            let disable = try await browser.consolePost("/console/accounts/\(le)/status", from: page, [("active", "false")])
            #expect(disable.status == .notFound || disable.status == .forbidden)
            #expect(try await harness.account(User.hueOfficial).status == .active)
            // Granting at a unit of Huë to an account of Hà Nội: forbidden.
            let elsewhere = try await browser.consolePost("/console/accounts/\(an)/grants", from: page, [("role", "clerk"), ("unit", "/hue")])
            #expect(elsewhere.status == .forbidden)

            // A post without the CSRF token, or with another one, changes nothing.
            let missing = try await browser.post("/console/accounts", form: [
                ("username", "khong.csrf"), ("display_name", "Không CSRF"), ("unit", "/ha-noi"), ("active", "true"),
            ])
            #expect(missing.status == .forbidden)
            let wrong = try await browser.post("/console/accounts", form: [
                ("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), ("username", "khong.csrf"), ("display_name", "Không CSRF"),
                ("unit", "/ha-noi"), ("active", "true"),
            ])
            #expect(wrong.status == .forbidden)
            await #expect(throws: StoreError.self) { try await harness.account("khong.csrf") }
        }
    }

    @Test func aClerkWithoutAdministrativeRolesIsRefused() async throws {
        try await ConsoleHarness.withServer { _, browser in
            let start = try await browser.get("/console")
            let page = try await browser.openLogin(try #require(start.location))
            let back = try await browser.submitLogin(page, username: User.clerk, password: ConsoleHarness.password)
            _ = try await browser.get(Browser.local(try #require(back.location)))
            let home = try await browser.get("/console")
            #expect(home.status == .forbidden)
            #expect(!home.body.contains("Swift") && !home.body.contains("Error("))
        }
    }

    @Test func speaksVietnameseOrEnglishAndSwitches() async throws {
        try await ConsoleHarness.withServer { _, browser in
            browser.setAcceptLanguage("vi-VN,vi;q=0.9")
            let home = try await browser.consoleLogin(User.central)
            #expect(home.body.contains("<html lang=\"vi\">") && home.body.contains("Tài khoản"))
            #expect(home.body.contains("hreflang=\"en\""))
            let english = try await browser.get("/console/accounts?lang=en")
            #expect(english.body.contains("<html lang=\"en\">") && english.body.contains("Accounts"))
            // The choice sticks to later pages.
            let next = try await browser.get("/console/units")
            #expect(next.body.contains("<html lang=\"en\">"))
            #expect(next.body.contains("/hue") && next.body.contains("/ha-noi"), "the central administrator sees every province")
        }
    }

    @Test func anExpiredTokenSignsInAgainSilentlyAndSignOutEndsTheSession() async throws {
        try await ConsoleHarness.withServer { harness, browser in
            _ = try await browser.consoleLogin(User.central)
            harness.clock.advance(by: 300 + harness.services.engine.configuration.clockSkew + 1)   // past the access token and the leeway
            let again = try await browser.get("/console/units")
            #expect(again.status == .seeOther)
            let authorize = try await browser.get(try #require(again.location))
            let callback = try #require(authorize.location)
            #expect(callback.hasPrefix(ConsoleHarness.issuer + "/console/callback?"), "SSO: no login form, \(callback)")
            let back = try await browser.get(Browser.local(callback))
            #expect(back.location == "/console/units")
            #expect(try await browser.get("/console/units").status == .ok)

            // Sign out: needs the CSRF token, clears the session and goes to the end-session endpoint.
            let refused = try await browser.post("/console/logout", form: [])
            #expect(refused.status == .forbidden)
            let fresh = try await browser.get("/console")
            let out = try await browser.consolePost("/console/logout", from: fresh, [])
            #expect(out.status == .seeOther)
            let logout = try #require(out.location)
            #expect(logout.hasPrefix("/logout?") && logout.contains("client_id=gatehouse-console"))
            #expect(browser.cookies["__Secure-gh_console"] == nil)
            let confirm = try await browser.get(logout)
            #expect(confirm.status == .ok, "\(confirm.body)")
        }
    }

    @Test func movesAUnitAfterADryRun() async throws {
        try await ConsoleHarness.withServer { harness, browser in
            browser.setAcceptLanguage("en")
            _ = try await browser.consoleLogin(User.central)
            let preview = try await browser.get("/console/units/move?path=%2Fhue%2Fphuong-phu-xuan&parent=%2Fha-noi")
            #expect(preview.status == .ok, "\(preview.body)")
            #expect(preview.body.contains("Nothing has changed yet"))
            #expect(try await harness.account(User.hueOfficial).unitID == harness.accounts[User.hueOfficial]!.unitID)
            let unitBefore = try await harness.store.read { try $0.units(in: try UnitPath("/hue"), page: Page(limit: 10)) }.map(\.path.description)
            #expect(unitBefore.contains("/hue/phuong-phu-xuan"))
            let moved = try await browser.consolePost("/console/units/move", from: preview, [
                ("path", "/hue/phuong-phu-xuan"), ("parent", "/ha-noi"), ("slug", ""),
            ])
            #expect(moved.status == .seeOther, "\(moved.body)")
            let after = try await browser.get(try #require(moved.location))
            #expect(after.body.contains("/ha-noi/phuong-phu-xuan"))
        }
    }

    /// Any client may be given `gatehouse:admin` in clients.yaml, and the token endpoint issues it.
    @Test func anOrdinaryClientMayCarryTheAdminScope() async throws {
        let yaml = """
            clients:
              - id: cong-cu-quan-tri
                type: public
                redirect_uris: [https://tools.example.gov.vn/cb]
                grant_types: [authorization_code]
                scopes: [openid, gatehouse:admin]
            """
        let declared = try #require(try PolicySet.parse(["clients.yaml": yaml]).clients.first)
        let client = declared.client(secretHash: nil, jwks: nil, createdAt: Date())
        #expect(client.scopes == ["openid", "gatehouse:admin"])
        try await ConsoleHarness.withServer { harness, browser in
            try await harness.store.write { tx in try tx.insertClient(client) }
            let verifier = SecureRandom.token(byteCount: 48)
            let authorize = "/authorize?" + FormParameters.encode([
                ("response_type", "code"), ("client_id", client.id), ("redirect_uri", "https://tools.example.gov.vn/cb"),
                ("scope", "openid gatehouse:admin"), ("state", "s"), ("nonce", "n"),
                ("code_challenge", Base64URL.encode(Digest.sha256(verifier))), ("code_challenge_method", "S256"),
            ])
            let back = try await browser.login(authorize, username: User.hanoiAdmin, password: ConsoleHarness.password)
            let code = try #require(back.redirectParameters["code"], "\(back.status) \(back.location ?? back.body)")
            let token = try await browser.post("/token", form: [
                ("grant_type", "authorization_code"), ("code", code), ("code_verifier", verifier),
                ("redirect_uri", "https://tools.example.gov.vn/cb"), ("client_id", client.id),
            ])
            #expect(token.status == .ok, "\(token.body)")
            #expect(token.body.contains("gatehouse:admin"))
        }
    }
}
