import CArgon2
import Dispatch
import Foundation
import GatehousePasswords

/// Argon2id at `Argon2Parameters.default` through GatehousePasswords, next to the raw
/// `argon2id_hash_raw` with the same parameters; then all cores through `PasswordService`
/// next to raw calls on as many threads; then the verify rate of each legacy scheme.
enum PasswordBench {
    static func run() async throws {
        let params = Argon2Parameters.default
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("Argon2id \(params) (\(params.memoryKiB / 1024) MiB), \(cores) cores")
        let hasher = try PasswordHasher(parameters: params)
        let password = "Mật khẩu của cán bộ 2025"
        let phc = try hasher.hash(password)

        let raw = rate { rawArgon2id(params) }
        let hash = try rate { _ = try hasher.hash(password) }
        let verify = try rate { _ = try hasher.verify(password, against: phc) }
        line("argon2id_hash_raw, one thread", 1000 / raw, "ms/hash (\(Int(raw)) hashes/s)")
        line("PasswordHasher.hash (PHC string), one thread", 1000 / hash, "ms/hash (\(Int(hash)) hashes/s)")
        line("PasswordHasher.verify, one thread", 1000 / verify, "ms/verify (\(Int(verify)) verifies/s)")

        let rawAll = allCores(cores) { rawArgon2id(params) }
        let service = try PasswordService(parameters: params)
        defer { service.shutdown() }
        let serviceAll = try await serviceRate(service, phc: phc, password: password, jobs: 48 * cores)
        line("argon2id_hash_raw, \(cores) threads", rawAll, "hashes/s")
        line("PasswordService.verify, \(cores) pool threads", serviceAll, "verifies/s (\(Int(100 * serviceAll / rawAll))% of raw)")

        print("legacy verification (migrated accounts), one thread")
        for (name, stored) in legacy {
            let r = try rate(seconds: 1) {
                let ok = try hasher.verify(legacyPassword, against: stored).isValid
                precondition(ok, "\(name) did not verify")
            }
            line(name, r, "verifies/s")
        }
    }

    static func rawArgon2id(_ p: Argon2Parameters) {
        var out = [UInt8](repeating: 0, count: p.hashLength)
        let salt = [UInt8](repeating: 7, count: p.saltLength)
        let pwd = Array("Mật khẩu của cán bộ 2025".utf8)
        let status = argon2id_hash_raw(UInt32(p.iterations), UInt32(p.memoryKiB), UInt32(p.parallelism),
                                       pwd, pwd.count, salt, salt.count, &out, out.count)
        precondition(status == ARGON2_OK.rawValue)
    }

    /// Operations per second over about `seconds`, after one warm-up call (for slow operations
    /// that `opsPerSecond`'s batches of 16 would make too long).
    static func rate(seconds: Double = 3, _ body: () throws -> Void) rethrows -> Double {
        try body()
        let start = DispatchTime.now().uptimeNanoseconds
        var n = 0, elapsed = 0.0
        repeat {
            try body()
            n += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return Double(n) / elapsed
    }

    static func allCores(_ threads: Int, perThread: Int = 48, _ body: @Sendable () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: threads) { _ in for _ in 0..<perThread { body() } }
        return Double(threads * perThread) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    static func serviceRate(_ service: PasswordService, phc: String, password: String, jobs: Int) async throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<jobs {
                group.addTask {
                    let ok = try await service.verify(password, against: phc).isValid
                    precondition(ok)
                }
            }
            try await group.waitForAll()
        }
        return Double(jobs) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// `report` with the name padded here, so that the columns line up.
    static func line(_ name: String, _ value: Double, _ unit: String) {
        report(name.padding(toLength: 48, withPad: " ", startingAt: 0), value, unit)
    }

    static let legacyPassword = "correct horse battery staple"
    /// Made with OpenSSL 3.0 `passwd -6`, pyca/bcrypt 5.0, passlib 1.7.4 and hashlib, at each
    /// source system's default cost.
    static let legacy: [(String, String)] = [
        ("{SSHA} (SHA-1, 8-byte salt)", "{SSHA}6GmQtNFj6PraCpnhilwL/ZunxgVTVW9ydU1pnA=="),
        ("{CRYPT}$6$ SHA-512-crypt, 5000 rounds", "{CRYPT}$6$Vb2kQ9$8ZNRDKhUZMYrfoU4IPBQvFqm7oXd1PpdylW.MBGt1O.KqyiRJJyDJA8E3XzFJIzJs87nm1X/8RMkB3F00JbYl."),
        ("$2b$ bcrypt, cost 10", "$2b$10$oYydliPndkgBx7ftJ/g1d.xjQdA6dy8SM3nVFGZVHLh88vybAWlBa"),
        ("$pbkdf2-sha256$ passlib, 29000 rounds", "$pbkdf2-sha256$29000$KSVEyPl/rzVm7F2rlZISIg$TDtGEx1dqPygsJi3aH0RO0MI0q0vK2D3GZVtfzULfkY"),
        ("pbkdf2_sha256$ Django 5.2, 1000000 rounds", "pbkdf2_sha256$1000000$Gh7sQ2pLm9Xc4Rt1$6C9s6k08rgTQ02MXek9ZC8sbUCw/vtnDnNBORpXevv0="),
    ]
}
