import Foundation
import Yams

extension PasswordPolicy {
    static let keys = ["argon2id", "min_length", "max_length", "expiry_days", "common_passwords_file", "check_username", "check_display_name",
                       "lockout", "client_rate_limit"]

    /// Reads `password.yaml`; keys left out keep their defaults.
    static func load(_ root: Node, directory: String, diagnostics: Diagnostics) -> PasswordPolicy? {
        guard let f = Fields(root, allowed: keys, context: "", diagnostics: diagnostics) else { return nil }
        var p = PasswordPolicy.defaults
        if let a = f.fields("argon2id", allowed: ["memory_kib", "iterations", "parallelism"], context: "argon2id") {
            if let m = a.int("memory_kib", in: memoryRange) { p.argon2id.memoryKiB = m }
            if let t = a.int("iterations", in: iterationRange) { p.argon2id.iterations = t }
            if let par = a.int("parallelism", in: parallelismRange) { p.argon2id.parallelism = par }
            if p.argon2id.memoryKiB < 8 * p.argon2id.parallelism {
                a.error("memory_kib must be at least 8 × parallelism (RFC 9106 §3.1)", at: a.value("memory_kib"))
            }
        }
        if let n = f.int("min_length", in: minLengthRange) { p.minLength = n }
        if let n = f.int("max_length", in: maxLengthRange) { p.maxLength = n }
        if p.minLength > p.maxLength { f.error("min_length \(p.minLength) exceeds max_length \(p.maxLength)", at: f.value("min_length")) }
        if let n = f.int("expiry_days", in: 0...3650) { p.expiryDays = n }
        if let v = f.value("common_passwords_file"), v.null == nil, let name = f.string(v, what: "'common_passwords_file'") {
            let path = name.hasPrefix("/") ? name : (directory as NSString).appendingPathComponent(name)
            if FileManager.default.isReadableFile(atPath: path) {
                p.commonPasswordsFile = name
                p.commonPasswordsPath = path
            } else {
                f.error("common_passwords_file '\(name)' is not a readable file (looked at \(path))", at: v)
            }
        }
        if let b = f.bool("check_username") { p.checkUsername = b }
        if let b = f.bool("check_display_name") { p.checkDisplayName = b }
        if let l = f.fields("lockout", allowed: LockoutPolicy.keys, context: "lockout") { p.lockout = LockoutPolicy.load(l) }
        if let r = f.fields("client_rate_limit", allowed: ["per_second", "burst"], context: "client_rate_limit") {
            if let n = r.int("per_second", in: 1...100_000) { p.clientRateLimit.perSecond = Double(n) }
            if let n = r.int("burst", in: 1...100_000) { p.clientRateLimit.burst = n }
        }
        return p
    }
}

extension LockoutPolicy {
    static let keys = [
        "free_failures", "first_delay", "max_delay", "lock_after", "lock_duration", "account_lock_after",
        "address_limit", "network_limit", "source_block", "window",
    ]
    private static let minute: TimeInterval = 60, hour: TimeInterval = 3600, day: TimeInterval = 86400

    /// Reads `lockout:`; keys left out keep their defaults.
    static func load(_ f: Fields) -> LockoutPolicy {
        var p = LockoutPolicy.defaults
        if let n = f.int("free_failures", in: freeRange) { p.freeFailures = n }
        if let v = f.duration("first_delay", in: 1...hour) { p.firstDelay = v }
        if let v = f.duration("max_delay", in: 1...day) { p.maxDelay = v }
        // NIST SP 800-63B §5.2.2: no more than 100 consecutive failures on one account.
        if let n = f.int("lock_after", in: 1...100) { p.lockAfter = n }
        if let v = f.duration("lock_duration", in: minute...7 * day) { p.lockDuration = v }
        if let n = f.int("account_lock_after", in: 1...100) { p.accountLockAfter = n }
        if let n = f.int("address_limit", in: countRange) { p.addressLimit = n }
        if let n = f.int("network_limit", in: countRange) { p.networkLimit = n }
        if let v = f.duration("source_block", in: minute...7 * day) { p.sourceBlock = v }
        if let v = f.duration("window", in: minute...30 * day) { p.window = v }
        if p.firstDelay > p.maxDelay {
            f.error("first_delay (\(PolicyDuration.format(p.firstDelay))) exceeds max_delay (\(PolicyDuration.format(p.maxDelay)))",
                    at: f.value("first_delay"))
        }
        if p.freeFailures >= p.lockAfter {
            f.error("free_failures (\(p.freeFailures)) must be below lock_after (\(p.lockAfter))", at: f.value("free_failures"))
        }
        if p.accountLockAfter < p.lockAfter {
            // Otherwise one network alone would lock the account everywhere before its own lock.
            f.error("account_lock_after (\(p.accountLockAfter)) is below lock_after (\(p.lockAfter))", at: f.value("account_lock_after"))
        }
        if p.networkLimit < p.addressLimit {
            f.error("network_limit (\(p.networkLimit)) is below address_limit (\(p.addressLimit))", at: f.value("network_limit"))
        }
        return p
    }
}
