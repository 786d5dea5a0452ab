import Foundation
import GatehouseCore
import GatehouseLDAP
import GatehousePasswords
import GatehouseStore
import Logging

/// Audit actions of logins through a directory.
enum DirectoryLoginAuditAction {
    /// The directory was unreachable and the password matched the verifier kept from its last
    /// bind (`cached_password_fallback`); the session follows as usual (`login.success`).
    static let cachedFallback = "login.directory_fallback"
}

extension OIDCServices {
    /// Checks the password of an account whose source is a directory by search-then-bind at
    /// that directory (RFC 4513 §5.1.3): the directory owns the password, so one changed there
    /// works at the next login.
    ///
    /// - The answers are those of local accounts: a wrong password, a user the directory no
    ///   longer has, or an inactive account all give `.failure`; each costs one Argon2id
    ///   operation besides the bind, as a local login costs one verification.
    /// - The entry that binds must carry the account's external id; otherwise (a username
    ///   reused in the directory before the next synchronisation) the login fails.
    /// - A directory that is down, slow or refusing gives `.directoryUnavailable` (503, try again) and a
    ///   log line, never "wrong password".
    /// - With `cached_password_fallback`, a successful bind stores an Argon2id verifier of the
    ///   password (never the password); while the directory is unreachable the login is checked
    ///   against it. A password the directory rejects drops the verifier.
    func authenticateInDirectory(
        _ account: Account, directory name: String, externalID: String, username: String, password: String, sourceIP: String?,
        logger: Logger
    ) async -> PasswordLoginOutcome {
        guard let directory = directories[name] else {
            await passwords.dummyVerify(password)
            logger.error("login: the account's directory is not configured", metadata: ["directory": .string(name), "account": .string(account.id.uuidString)])
            await auditDirectoryFailure(account, reason: "directory_not_configured", sourceIP: sourceIP, logger: logger)
            return .failure
        }
        let entry: LDAPEntry
        do {
            entry = try await directory.authenticator.authenticate(username: username, password: password)
        } catch .invalidCredentials {
            await passwords.dummyVerify(password)
            if directory.cachedPasswordFallback { await forgetVerifier(account, logger: logger) }
            await auditDirectoryFailure(account, reason: account.status == .active ? "invalid_password" : "account_\(account.status.rawValue)",
                                        sourceIP: sourceIP, logger: logger)
            return .failure
        } catch {
            logger.error("login: directory unavailable", metadata: [
                "directory": .string(name), "error": .string(String(reflecting: error)),
            ])
            guard directory.cachedPasswordFallback else { return .directoryUnavailable }
            return await fallBack(account, password: password, directory: name, sourceIP: sourceIP, logger: logger)
        }
        guard entry.externalID(attribute: directory.externalIDAttribute) == externalID else {
            await passwords.dummyVerify(password)
            logger.warning("login: the directory entry that bound is not the account's", metadata: [
                "directory": .string(name), "account": .string(account.id.uuidString),
            ])
            await auditDirectoryFailure(account, reason: "directory_entry_mismatch", sourceIP: sourceIP, logger: logger)
            return .failure
        }
        guard account.status == .active else {
            await passwords.dummyVerify(password)
            await auditDirectoryFailure(account, reason: "account_\(account.status.rawValue)", sourceIP: sourceIP, logger: logger)
            return .failure
        }
        if directory.cachedPasswordFallback {
            // The Argon2id hash is also this login's padding.
            await rememberVerifier(account, password: password, logger: logger)
        } else {
            await passwords.dummyVerify(password)
        }
        return .success(account, verifiedHash: "", needsRehash: false)
    }

    /// The login while the directory is unreachable, against the verifier of the last bind.
    private func fallBack(_ account: Account, password: String, directory: String, sourceIP: String?, logger: Logger) async -> PasswordLoginOutcome {
        let stored: String?
        do { stored = try await store.read { tx in try tx.directoryPasswordVerifier(accountID: account.id) } } catch {
            return .unavailable
        }
        guard let stored else { return .directoryUnavailable }
        let valid: Bool
        do {
            if case .valid = try await passwords.verify(password, against: stored) { valid = true } else { valid = false }
        } catch .overloaded, .shutDown, .cancelled {
            return .unavailable
        } catch {
            valid = false
        }
        guard valid, account.status == .active else {
            await auditDirectoryFailure(account, reason: valid ? "account_\(account.status.rawValue)" : "invalid_password_cached",
                                        sourceIP: sourceIP, logger: logger)
            return .failure
        }
        let now = clock.now()
        do {
            try await store.write { tx in
                let subject = account.id.uuidString.lowercased()
                try tx.appendAudit(AuditRecord(
                    action: DirectoryLoginAuditAction.cachedFallback, actor: subject, target: subject, unit: try? tx.unit(id: account.unitID).path,
                    sourceIP: sourceIP, detail: ["directory": directory], time: now))
            }
        } catch {
            return .unavailable
        }
        logger.warning("login: directory unreachable, password checked against the cached verifier", metadata: [
            "directory": .string(directory), "account": .string(account.id.uuidString),
        ])
        return .success(account, verifiedHash: "", needsRehash: false)
    }

    private func rememberVerifier(_ account: Account, password: String, logger: Logger) async {
        guard let verifier = try? await passwords.hash(password) else {
            logger.warning("login: the password verifier was not cached (hashing saturated)", metadata: ["account": .string(account.id.uuidString)])
            return
        }
        let now = clock.now()
        do {
            try await store.write { tx in try tx.storeDirectoryPasswordVerifier(accountID: account.id, verifier: verifier, at: now) }
        } catch {
            logger.error("login: the password verifier was not cached", metadata: ["error": .string(String(describing: error))])
        }
    }

    private func forgetVerifier(_ account: Account, logger: Logger) async {
        do {
            _ = try await store.write { tx in try tx.deleteDirectoryPasswordVerifier(accountID: account.id) }
        } catch {
            logger.error("login: a stale password verifier was not dropped", metadata: ["error": .string(String(describing: error))])
        }
    }

    private func auditDirectoryFailure(_ account: Account, reason: String, sourceIP: String?, logger: Logger) async {
        let now = clock.now()
        do {
            try await store.write { tx in
                let subject = account.id.uuidString.lowercased()
                try tx.appendAudit(AuditRecord(
                    action: LoginAuditAction.failure, actor: subject, target: subject, unit: try? tx.unit(id: account.unitID).path,
                    sourceIP: sourceIP, result: .failure, detail: ["reason": reason, "directory": account.source.directoryName ?? ""], time: now))
            }
        } catch {
            logger.error("login: failure not audited", metadata: ["error": .string(String(describing: error))])
        }
    }
}
