import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehousePasswords
import GatehouseStore
import Logging

/// The outcome of checking a username and password typed into the login form.
enum PasswordLoginOutcome: Sendable {
    /// The password is right and the account active. `needsRehash`: the stored hash
    /// (`verifiedHash`) is legacy or of other Argon2id parameters and should be replaced.
    case success(Account, verifiedHash: String, needsRehash: Bool)
    /// Wrong password, unknown user, inactive account: one answer for all (OWASP Authentication
    /// Cheat Sheet, "Authentication Responses").
    case failure
    /// Password hashing is saturated or the store unreachable: 503, try again.
    case unavailable
    /// The account's directory cannot be reached (and no cached verifier may stand in): 503,
    /// with a page that says so, never "wrong password".
    case directoryUnavailable
}

/// Audit actions of the login form and the forced password change.
enum LoginAuditAction {
    /// A password login succeeded and the SSO session was created or renewed.
    static let success = "login.success"
    /// A password login failed; `detail.reason` says why (never shown to the user).
    static let failure = "login.failure"
    /// The user changed the password at login (forced change or expiry).
    static let passwordChange = "account.password.change"
    /// A legacy or outdated hash was replaced by an Argon2id hash at login.
    static let passwordRehash = "account.password.rehash"
}

extension OIDCServices {
    /// Checks `password` for `username` at the same cost whatever the outcome: an unknown user
    /// or an account without a local password costs a dummy Argon2id verification, an inactive
    /// account a real one (NIST SP 800-63B §5.2.2). Failures are audited (`login.failure`).
    /// An account of a directory is checked at the directory (``authenticateInDirectory``).
    func authenticate(username raw: String, password: String, sourceIP: String?, logger: Logger) async -> PasswordLoginOutcome {
        let username = raw.utf8.count <= 256 ? try? Username(raw) : nil
        var account: Account?
        if let username {
            do {
                account = try await store.read { tx in
                    do { return try tx.account(username: username) } catch let error as StoreError where error.kind == .notFound { return nil }
                }
            } catch {
                logger.error("login: store unavailable", metadata: ["error": .string(String(describing: error))])
                return .unavailable
            }
        }
        if let account, case .directory(let directory, let externalID) = account.source {
            return await authenticateInDirectory(account, directory: directory, externalID: externalID, username: raw, password: password,
                                                 sourceIP: sourceIP, logger: logger)
        }
        guard let account, let stored = account.passwordHash else {
            await passwords.dummyVerify(password)
            await auditFailure(account: account, reason: account == nil ? "unknown_account" : "no_local_password", sourceIP: sourceIP, logger: logger)
            return .failure
        }
        var valid = false, needsRehash = false
        do {
            switch try await passwords.verify(password, against: stored) {
            case .valid(let rehash): (valid, needsRehash) = (true, rehash)
            case .invalid: valid = false
            }
        } catch .overloaded, .shutDown, .cancelled {
            return .unavailable
        } catch {
            // A stored hash Gatehouse cannot check is never a match.
            logger.error("login: stored password hash unusable", metadata: ["account": .string(account.id.uuidString), "error": .string(error.description)])
        }
        if !stored.hasPrefix("$argon2id$") {
            // A legacy hash verifies in microseconds: pad to an Argon2id verification, so that
            // timing does not single out accounts awaiting migration.
            await passwords.dummyVerify(password)
        }
        guard account.status == .active else {
            await auditFailure(account: account, reason: "account_\(account.status.rawValue)", sourceIP: sourceIP, logger: logger)
            return .failure
        }
        guard valid else {
            await auditFailure(account: account, reason: "invalid_password", sourceIP: sourceIP, logger: logger)
            return .failure
        }
        return .success(account, verifiedHash: stored, needsRehash: needsRehash)
    }

    /// Why `account` must choose a new password before its session is granted: an administrator
    /// asked (`mustChangePassword`), or the password is older than `expiryDays`. Only accounts
    /// whose password lives here; a directory's passwords are the directory's business.
    func passwordChangeReason(for account: Account) -> String? {
        guard account.source == .local else { return nil }
        if account.mustChangePassword { return "required" }
        let days = passwordPolicy.expiryDays
        guard days > 0 else { return nil }
        let changed = account.passwordChangedAt ?? account.createdAt
        return clock.now().timeIntervalSince(changed) > TimeInterval(days) * 86_400 ? "expired" : nil
    }

    private func auditFailure(account: Account?, reason: String, sourceIP: String?, logger: Logger) async {
        let now = clock.now()
        do {
            try await store.write { tx in
                let subject = account.map { $0.id.uuidString.lowercased() }
                let unit = account.flatMap { a in try? tx.unit(id: a.unitID).path }
                try tx.appendAudit(AuditRecord(action: LoginAuditAction.failure, actor: subject ?? "anonymous", target: subject, unit: unit,
                                               sourceIP: sourceIP, result: .failure, detail: ["reason": reason], time: now))
            }
        } catch {
            logger.error("login: failure not audited", metadata: ["error": .string(String(describing: error))])
        }
    }
}
