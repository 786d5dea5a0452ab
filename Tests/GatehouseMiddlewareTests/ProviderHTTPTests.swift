import Foundation
@testable import GatehouseMiddleware
import Testing

/// The helpers behind every request to the provider.
@Suite struct ProviderHTTPTests {
    /// A hostile `Age` (`nan`, negative, a fraction) must not make a key set fresh forever.
    @Test func ageIsDeltaSecondsOnly() {
        #expect(ProviderHTTP.deltaSeconds("120") == 120)
        #expect(ProviderHTTP.deltaSeconds(" 7 ") == 7)
        for bad in ["nan", "inf", "-1", "1.5", "", "1e3"] {
            #expect(ProviderHTTP.deltaSeconds(bad) == nil, "\(bad)")
        }
    }

    @Test func onlyHTTPSOrLoopbackHTTPIsAccepted() throws {
        for good in ["https://sso.example.gov.vn", "http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]:9/x", "http://127.9.9.9"] {
            try ProviderURL.check(good, "test")
        }
        for bad in ["http://sso.example.gov.vn", "http://127.0.0.1.evil.example", "http://localhost.evil.example", "ftp://127.0.0.1",
                    "https://", "/relative", "http://10.0.0.1"] {
            #expect(throws: ProviderError(.insecureURL), "\(bad)") { try ProviderURL.check(bad, "test") }
        }
    }
}
