public import Foundation
public import GatehouseCore
public import GatehouseOAuth
public import GatehousePasswords
public import GatehouseStore
import GatehouseCrypto

/// Delegated administration: every action of the admin API, SCIM and the console goes through
/// here. Each one is authorised against the actor's grants (``Authorizer``: a role granted at
/// a unit holds in its subtree; only roles whose permissions the granter holds may be
/// granted), applied, and audited in one store transaction, so the decision is taken on the
/// data as it is when the change is written, and no change lands without its event.
///
/// Reads outside the actor's reach answer "not found", as if the account did not exist:
/// an administrator of Hà Nội learns nothing about the accounts of Huế. Changes to something
/// the actor can see but lacks the permission for answer "forbidden", with the reason.
///
/// ```swift
/// let admin = try await service.actor(accountID: token.accountID, clientID: token.clientID, sourceIP: ip)
/// let created = try await service.createAccount(AccountDraft(username: "lan.nguyen", displayName: "Nguyễn Thị Lan",
///                                                              unit: try UnitPath("/ha-noi/phuong-ba-dinh")), by: admin)
/// ```
public struct AdminService: Sendable {
    public let engine: OAuthEngine
    public let authorizer: Authorizer
    let passwords: PasswordService
    /// Why a password may not be set (the password policy), in words for the administrator.
    let passwordProblems: @Sendable (_ password: String, _ username: String, _ displayName: String) -> [String]
    /// Hands signed back-channel logout tokens to the dispatcher.
    let notify: @Sendable ([BackchannelLogout]) async -> Void

    public init(
        engine: OAuthEngine, roles: [Role], passwords: PasswordService,
        passwordProblems: @escaping @Sendable (String, String, String) -> [String] = { _, _, _ in [] },
        notify: @escaping @Sendable ([BackchannelLogout]) async -> Void = { _ in }
    ) {
        self.engine = engine
        self.authorizer = Authorizer(roles: roles)
        self.passwords = passwords
        self.passwordProblems = passwordProblems
        self.notify = notify
    }

    var store: any Store { engine.store }
    var now: Date { engine.clock.now() }

    /// The actor behind a verified token or console session, with the grants it holds now.
    /// An account that is not active, or holds no administrative permission anywhere, is refused.
    public func actor(accountID: UUID, clientID: String?, sourceIP: String?) async throws -> AdminActor {
        let (account, grants) = try await store.read { tx in (try tx.account(id: accountID), try tx.effectiveGrants(accountID: accountID)) }
        guard account.status == .active else { throw AdminError.forbidden("account '\(account.username)' is \(account.status.rawValue)") }
        let actor = AdminActor(accountID: account.id, username: account.username.value, grants: grants, clientID: clientID, sourceIP: sourceIP)
        guard !authorizer.reach(of: actor, for: Set(Permission.administrative)).isEmpty else {
            throw AdminError.forbidden("account '\(account.username)' holds no administrative role")
        }
        return actor
    }

    /// Runs `body` in a write transaction, turning store errors into ``AdminError``s.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        do { return try await store.write(body) } catch let error as StoreError { throw AdminError(error) }
    }

    /// Runs `body` in a read transaction, turning store errors into ``AdminError``s.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        do { return try await store.read(body) } catch let error as StoreError { throw AdminError(error) }
    }

    /// A one-time password for an account whose password an administrator sets: 20 characters
    /// from an alphabet without look-alikes (0/o, 1/l; 100 bits), in groups of five for reading aloud.
    static func temporaryPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")  // 32: five unbiased bits a byte
        var out = ""
        for (i, byte) in SecureRandom.bytes(20).enumerated() {
            if i > 0, i % 5 == 0 { out.append("-") }
            out.append(alphabet[Int(byte & 31)])
        }
        return out
    }
}

extension AdminError {
    /// The admin meaning of a store error.
    init(_ error: StoreError) {
        switch error {
        case .notFound: self = .notFound(error.description)
        case .alreadyExists: self = .conflict(error.description)
        case .conflict(let what): self = .preconditionFailed(what)
        case .invalid(let what): self = .invalid(what)
        case .unavailable(let what, _): self = .unavailable(what)
        }
    }
}
