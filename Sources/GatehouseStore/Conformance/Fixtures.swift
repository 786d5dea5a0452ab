import Foundation
import GatehouseCore
import GatehouseCrypto

/// Builders for the entities conformance cases store. Times come from the case's clock,
/// which starts on a whole second, so values round-trip through millisecond storage.
enum Fixture {
    static func path(_ s: String) -> UnitPath {
        do { return try UnitPath(s) } catch { preconditionFailure("fixture path \(s): \(error)") }
    }

    static func username(_ s: String) -> Username {
        do { return try Username(s) } catch { preconditionFailure("fixture username \(s): \(error)") }
    }

    static func unit(_ path: String, _ name: String, parent: OrgUnit, code: String? = nil, clock: ManualClock) -> OrgUnit {
        OrgUnit(id: UUID(), path: Self.path(path), name: name, parentID: parent.id, code: code, createdAt: clock.now())
    }

    static func account(_ username: String, unit: OrgUnit, clock: ManualClock, source: AccountSource = .local, status: AccountStatus = .active) -> Account {
        Account(
            id: UUID(), username: Self.username(username), displayName: "Cán bộ \(username)", email: "\(username)@example.gov.vn",
            unitID: unit.id, status: status, passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", passwordChangedAt: clock.now(),
            mfaSecret: [0, 1, 2, 254, 255], mfaRecoveryCodes: [hash("recovery-1"), hash("recovery-2")], mfaLastStep: 60_000_000,
            mfaFailures: 2, source: source, createdAt: clock.now())
    }

    static func client(_ id: String, clock: ManualClock) -> Client {
        Client(
            id: id, name: "Ứng dụng \(id)", secretHash: "hmac-sha256:abc", redirectURIs: ["https://\(id).example.gov.vn/cb", "https://\(id).example.gov.vn/cb2"],
            postLogoutRedirectURIs: ["https://\(id).example.gov.vn/"], backchannelLogoutURI: "https://\(id).example.gov.vn/bcl",
            grantTypes: [.authorizationCode, .refreshToken], scopes: ["openid", "profile", "email"], idTokenSignedResponseAlg: "ES256",
            createdAt: clock.now())
    }

    static func hash(_ s: String) -> String { Digest.sha256(s).hexString }

    static func session(_ id: String, account: Account, clock: ManualClock, lifetime: TimeInterval = 8 * 3600) -> SSOSession {
        SSOSession(
            idHash: hash(id), accountID: account.id, authTime: clock.now(), lastSeenAt: clock.now(),
            expiresAt: clock.now() + lifetime, acr: "urn:gatehouse:pwd", amr: ["pwd", "otp"], clients: ["portal"])
    }

    static func code(_ code: String, client: Client, account: Account, session: SSOSession, clock: ManualClock) -> AuthorizationCode {
        AuthorizationCode(
            codeHash: hash(code), clientID: client.id, accountID: account.id, sessionID: session.idHash,
            redirectURI: client.redirectURIs[0], scope: "openid profile", nonce: "n-0S6_WzA2Mj",
            codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", authTime: session.authTime, acr: nil,
            amr: ["pwd"], createdAt: clock.now(), expiresAt: clock.now() + 60)
    }

    static func family(client: Client, account: Account, session: SSOSession?, clock: ManualClock) -> RefreshFamily {
        RefreshFamily(
            id: UUID(), clientID: client.id, accountID: account.id, sessionID: session?.idHash, scope: "openid offline_access",
            currentTokenHash: hash(UUID().uuidString), createdAt: clock.now(), expiresAt: clock.now() + 30 * 86400)
    }

    static func audit(_ action: String, clock: ManualClock, unit: UnitPath? = nil, detail: [String: String] = [:]) -> AuditRecord {
        AuditRecord(
            action: action, actor: "cli", target: "nguyen.van.a", unit: unit, clientID: "portal", sourceIP: "10.0.0.1",
            detail: detail, time: clock.now())
    }
}

/// A small unit tree with Vietnamese names, built to catch prefix mistakes in subtree
/// queries: `/ha-noi` must not match `/ha-noi-2` or `/ha-noia`.
struct SampleTree {
    let root: OrgUnit
    let haNoi: OrgUnit
    let baDinh: OrgUnit
    let hoanKiem: OrgUnit
    let haNoi2: OrgUnit
    let haNoi2Commune: OrgUnit
    let haNoiA: OrgUnit
    let hue: OrgUnit
    let thuanHoa: OrgUnit

    /// Every unit in the tree, root included, in path order.
    var all: [OrgUnit] { [root, haNoi, baDinh, hoanKiem, haNoi2, haNoi2Commune, haNoiA, hue, thuanHoa].sorted { $0.path.description < $1.path.description } }

    static func create(in store: any Store, clock: ManualClock) async throws -> SampleTree {
        let root = try await store.read { try $0.unit(path: .root) }
        let haNoi = Fixture.unit("/ha-noi", "Thành phố Hà Nội", parent: root, code: "01", clock: clock)
        let baDinh = Fixture.unit("/ha-noi/phuong-ba-dinh", "Phường Ba Đình", parent: haNoi, code: "00004", clock: clock)
        let hoanKiem = Fixture.unit("/ha-noi/phuong-hoan-kiem", "Phường Hoàn Kiếm", parent: haNoi, clock: clock)
        let haNoi2 = Fixture.unit("/ha-noi-2", "Đơn vị thử Hà Nội 2", parent: root, clock: clock)
        let haNoi2Commune = Fixture.unit("/ha-noi-2/xa-dong-anh", "Xã Đông Anh", parent: haNoi2, clock: clock)
        let haNoiA = Fixture.unit("/ha-noia", "Đơn vị thử Hà Nộia", parent: root, clock: clock)
        let hue = Fixture.unit("/hue", "Thành phố Huế", parent: root, code: "46", clock: clock)
        let thuanHoa = Fixture.unit("/hue/phuong-thuan-hoa", "Phường Thuận Hóa", parent: hue, clock: clock)
        let tree = SampleTree(
            root: root, haNoi: haNoi, baDinh: baDinh, hoanKiem: hoanKiem, haNoi2: haNoi2,
            haNoi2Commune: haNoi2Commune, haNoiA: haNoiA, hue: hue, thuanHoa: thuanHoa)
        try await store.write { tx in
            for unit in [haNoi, baDinh, hoanKiem, haNoi2, haNoi2Commune, haNoiA, hue, thuanHoa] { try tx.insertUnit(unit) }
        }
        return tree
    }
}
