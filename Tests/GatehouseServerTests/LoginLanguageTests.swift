import Foundation
import GatehouseServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The login page speaks Vietnamese or English: `ui_locales` first, then `Accept-Language`,
/// with a switch link on the page.
@Suite("Login page language")
struct LoginLanguageTests {
    @Test("ui_locales=vi renders Vietnamese even when the browser prefers English")
    func uiLocalesVietnamese() async throws {
        try await OIDCHarness.withServer { _, browser in
            browser.setAcceptLanguage("en-US,en;q=0.9")
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge, extra: [("ui_locales", "vi")]))
            #expect(page.body.contains("<html lang=\"vi\">"))
            #expect(page.body.contains("<label for=\"username\">Tên đăng nhập</label>"))
            #expect(page.body.contains("<label for=\"password\">Mật khẩu</label>"))
            #expect(page.body.contains("hreflang=\"en\""), "a switch to English")
        }
    }

    @Test("Accept-Language: en renders English, and the switch link turns it to Vietnamese")
    func acceptLanguageEnglish() async throws {
        try await OIDCHarness.withServer { _, browser in
            browser.setAcceptLanguage("en")
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(page.body.contains("<html lang=\"en\">"))
            #expect(page.body.contains("<label for=\"username\">Username</label>"))
            #expect(page.body.contains("<label for=\"password\">Password</label>"))
            let failed = try await browser.submitLogin(page, username: "nobody.here", password: "wrong password")
            #expect(failed.body.contains("The username or password is incorrect."))

            let link = try #require(page.body.range(of: "<a href=\"").map { range in
                String(page.body[range.upperBound...].prefix { $0 != "\"" })
            })
            let switched = try await browser.get(link.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(switched.status == .ok)
            #expect(switched.body.contains("<html lang=\"vi\">") && switched.body.contains("Tên đăng nhập"))
        }
    }

    @Test("without any preference the pages are Vietnamese")
    func defaultVietnamese() async throws {
        try await OIDCHarness.withServer { _, browser in
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(page.body.contains("<html lang=\"vi\">") && page.body.contains("Đăng nhập"))
        }
    }
}
