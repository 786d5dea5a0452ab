import Foundation
import Yams

extension PasswordPolicy {
    static let keys = ["argon2id", "min_length", "max_length", "expiry_days", "common_passwords_file", "check_username", "check_display_name"]

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
        return p
    }
}
