import Foundation
import Testing
@testable import GatehouseMFA

@Suite("otpauth:// URIs (Key Uri Format)")
struct OTPAuthURITests {
    let secret = TOTPSecret(bytes: Array("12345678901234567890".utf8))!

    @Test("an ASCII issuer and account give the exact URI authenticator apps expect")
    func ascii() {
        #expect(OTPAuthURI.totp(issuer: "Gatehouse", account: "alice@example.com", secret: secret)
            == "otpauth://totp/Gatehouse:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30")
    }

    @Test("Vietnamese names are UTF-8 percent-encoded, spaces as %20")
    func vietnamese() throws {
        let uri = OTPAuthURI.totp(issuer: "Sở Nội vụ Huế", account: "Lê Thị Hoa", secret: secret)
        #expect(uri.hasPrefix("otpauth://totp/S%E1%BB%9F%20N%E1%BB%99i%20v%E1%BB%A5%20Hu%E1%BA%BF:L%C3%AA%20Th%E1%BB%8B%20Hoa?"))
        #expect(uri.contains("&issuer=S%E1%BB%9F%20N%E1%BB%99i%20v%E1%BB%A5%20Hu%E1%BA%BF&"))
        #expect(!uri.contains("+") && !uri.contains(" "))
        #expect(uri.unicodeScalars.allSatisfy { $0.isASCII })

        // An independent parser reads back the names and parameters.
        let components = try #require(URLComponents(string: uri))
        #expect(components.scheme == "otpauth")
        #expect(components.host == "totp")
        #expect(components.path == "/Sở Nội vụ Huế:Lê Thị Hoa")
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items == ["secret": secret.base32, "issuer": "Sở Nội vụ Huế", "algorithm": "SHA1", "digits": "6", "period": "30"])
    }

    @Test("a colon inside a name is encoded, so the only literal colon is the separator")
    func colonInNames() throws {
        let uri = OTPAuthURI.totp(issuer: "Huế: Sở Nội vụ", account: "hoa:admin", secret: secret)
        let label = try #require(uri.split(separator: "?").first?.dropFirst("otpauth://totp/".count))
        #expect(label == "Hu%E1%BA%BF%3A%20S%E1%BB%9F%20N%E1%BB%99i%20v%E1%BB%A5:hoa%3Aadmin")
        #expect(label.filter { $0 == ":" }.count == 1)
    }

    @Test("reserved URI characters in names cannot inject parameters")
    func injection() throws {
        let uri = OTPAuthURI.totp(issuer: "Evil&secret=AAAA", account: "x?digits=8#frag/..", secret: secret)
        let components = try #require(URLComponents(string: uri))
        let items = (components.queryItems ?? []).map(\.name)
        #expect(items == ["secret", "issuer", "algorithm", "digits", "period"])
        #expect(components.queryItems?.first { $0.name == "secret" }?.value == secret.base32)
        #expect(components.queryItems?.first { $0.name == "digits" }?.value == "6")
        #expect(components.fragment == nil)
        #expect(components.path == "/Evil&secret=AAAA:x?digits=8#frag/..")
    }

    @Test("non-standard parameters appear in the URI")
    func parameters() {
        let uri = OTPAuthURI.totp(issuer: "G", account: "a", secret: secret, parameters: TOTP(digits: 8, period: 60)!)
        #expect(uri.hasSuffix("&algorithm=SHA1&digits=8&period=60"))
    }
}
