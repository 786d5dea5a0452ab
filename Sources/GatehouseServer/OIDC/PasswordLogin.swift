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
    /// Wrong password, unknown user, inactive account, locked or throttled: one answer for all (OWASP Authentication
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
    ///
    /// Guessing is slowed down and then stopped by ``LoginThrottle``: a blocked source is
    /// refused before any password is checked; a locked or waiting account is refused after
    /// its password is checked like any other, with the same answer (`.failure`). The audit
    /// reason is then `throttled` or `locked`; the user is never told.
    func authenticate(username raw: String, password: String, sourceIP: String?, logger: Logger) async -> PasswordLoginOutcome {
        let username = raw.utf8.count <= 256 ? try? Username(raw) : nil
        let throttle = loginThrottle
        let now = clock.now()
        let found: (account: Account?, keys: LoginThrottle.Keys, counters: [ThrottleCounter])
        do {
            found = try await store.read { tx in
                var account: Account?
                if let username {
                    do { account = try tx.account(username: username) } catch let error as StoreError where error.kind == .notFound { account = nil }
                }
                let keys = throttle.keys(accountID: account?.id, username: username, sourceIP: sourceIP)
                return (account, keys, try tx.throttleCounters(keys: keys.all))
            }
        } catch {
            logger.error("login: store unavailable", metadata: ["error": .string(String(describing: error))])
            return .unavailable
        }
        let (account, keys) = (found.account, found.keys)
        let standing = throttle.standing(found.counters, keys: keys, at: now)
        let attempt = LoginAttempt(account: account, keys: keys, standing: standing, sourceIP: sourceIP)
        if standing.sourceBlocked {
            // Nothing about any account shows here, and stuffing costs no hashing time.
            await recordFailure(attempt, reason: "throttled", accountKeys: false, logger: logger)
            return .failure
        }
        if let account, case .directory(let directory, let externalID) = account.source {
            if let reason = standing.reason {
                // Not even asked of the directory, which may have a lockout of its own.
                await passwords.dummyVerify(password)
                await recordFailure(attempt, reason: reason, logger: logger)
                return .failure
            }
            let outcome = await authenticateInDirectory(account, directory: directory, externalID: externalID, username: raw, password: password,
                                                        sourceIP: sourceIP, logger: logger)
            switch outcome {
            case .failure: await recordFailure(attempt, reason: nil, logger: logger)   // audited by the directory login
            case .success:
                if let late = await blockedMeanwhile(attempt) {
                    await recordFailure(late, reason: late.standing.reason, logger: logger)
                    return .failure
                }
                await recordSuccess(attempt, counters: found.counters, logger: logger)
            case .unavailable, .directoryUnavailable: break
            }
            return outcome
        }
        guard let account, let stored = account.passwordHash else {
            await passwords.dummyVerify(password)
            await recordFailure(attempt, reason: standing.reason ?? (account == nil ? "unknown_account" : "no_local_password"), logger: logger)
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
        if let reason = standing.reason {
            // Counted whatever the password was, so the counts never tell which guess was right.
            await recordFailure(attempt, reason: reason, logger: logger)
            return .failure
        }
        guard account.status == .active else {
            await recordFailure(attempt, reason: "account_\(account.status.rawValue)", logger: logger)
            return .failure
        }
        guard valid else {
            await recordFailure(attempt, reason: "invalid_password", logger: logger)
            return .failure
        }
        if let late = await blockedMeanwhile(attempt) {
            await recordFailure(late, reason: late.standing.reason, logger: logger)
            return .failure
        }
        await recordSuccess(attempt, counters: found.counters, logger: logger)
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

    /// One login attempt as the throttle sees it.
    private struct LoginAttempt: Sendable {
        let account: Account?
        let keys: LoginThrottle.Keys
        let standing: LoginThrottle.Standing
        let sourceIP: String?
    }

    /// Counts the failure (``LoginThrottle/recordFailure(_:keys:standing:accountKeys:at:)``) and
    /// audits it with `reason` (none when the caller audited it), in one transaction.
    private func recordFailure(_ attempt: LoginAttempt, reason: String?, accountKeys: Bool = true, logger: Logger) async {
        let now = clock.now(), throttle = loginThrottle
        let account = attempt.account, sourceIP = attempt.sourceIP
        @Sendable func audit(_ tx: any StoreWriter) throws {
            guard let reason else { return }
            let subject = account.map { $0.id.uuidString.lowercased() }
            let unit = account.flatMap { a in try? tx.unit(id: a.unitID).path }
            try tx.appendAudit(AuditRecord(action: LoginAuditAction.failure, actor: subject ?? "anonymous", target: subject, unit: unit,
                                           sourceIP: sourceIP, result: .failure, detail: ["reason": reason], time: now))
        }
        do {
            try await store.write { tx in
                try throttle.recordFailure(tx, keys: attempt.keys, standing: attempt.standing, accountKeys: accountKeys, at: now)
                try audit(tx)
            }
        } catch {
            logger.error("login: failure not counted", metadata: ["error": .string(String(describing: error))])
            // The audit trail must not depend on the counters: record it on its own.
            do { try await store.write { try audit($0) } } catch {
                logger.error("login: failure not audited", metadata: ["error": .string(String(describing: error))])
            }
        }
    }

    /// The attempt as it stands now, if a block began while its password was being checked:
    /// guesses sent in parallel are all read unblocked, and the failures of the others must
    /// still stop the one that is right. `nil` when nothing blocks it (or the store cannot say:
    /// it was readable a moment ago).
    private func blockedMeanwhile(_ attempt: LoginAttempt) async -> LoginAttempt? {
        let keys = attempt.keys, throttle = loginThrottle
        guard let counters = try? await store.read({ try $0.throttleCounters(keys: keys.all) }) else { return nil }
        let standing = throttle.standing(counters, keys: keys, at: clock.now())
        guard standing.reason != nil else { return nil }
        return LoginAttempt(account: attempt.account, keys: keys, standing: standing, sourceIP: attempt.sourceIP)
    }

    /// Forgets the failures of this account from this network, if it had any (nothing else:
    /// see ``LoginThrottle``).
    private func recordSuccess(_ attempt: LoginAttempt, counters: [ThrottleCounter], logger: Logger) async {
        guard let key = attempt.keys.accountNetwork, counters.contains(where: { $0.key == key }) else { return }
        let throttle = loginThrottle, keys = attempt.keys
        do {
            try await store.write { try throttle.recordSuccess($0, keys: keys) }
        } catch {
            logger.error("login: failure count not reset", metadata: ["error": .string(String(describing: error))])
        }
    }
}
