import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseJOSE
import GatehouseStore
import GatehousePasswords
import GatehousePolicy

/// Loads the policy folder; every problem becomes one `file:line:column: message` line.
func loadPolicies(_ data: DataOptions) throws -> PolicySet {
    do { return try PolicySet.load(directory: data.policiesPath) } catch {
        throw CLIError(error.description)
    }
}

/// Records in the audit trail that the server took its policies into force, with the SHA-256
/// of each file of the policy folder: policies are read when `serve` starts (a restart is the
/// reload), and the trail shows which version of roles, password rules, clients and directory
/// mapping was in force from when. A file that changed shows a new digest.
func recordPolicyLoad(policiesPath: String, store: any Store) async throws {
    let folder = URL(fileURLWithPath: policiesPath)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: policiesPath)) ?? []
    var detail: [String: String] = [:]
    for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".txt") {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
        detail[name] = "sha256:" + Digest.sha256(data).map { String(format: "%02x", $0) }.joined()
    }
    let record = AuditRecord(action: "policy.load", actor: "policy", target: folder.standardizedFileURL.path, detail: detail, time: Date())
    try await store.write { tx in _ = try tx.appendAudit(record) }
}

/// The Argon2id parameters `Policies/password.yaml` sets.
func argon2Parameters(_ policies: PolicySet) -> Argon2Parameters {
    let p = policies.password.argon2id
    return Argon2Parameters(memoryKiB: p.memoryKiB, iterations: p.iterations, parallelism: p.parallelism)
}

/// Refuses a new password that breaks `Policies/password.yaml`, naming every rule it breaks.
func checkPassword(_ password: String, username: Username, displayName: String, policies: PolicySet) throws {
    let common = try policies.password.loadCommonPasswords()
    let problems = policies.password.problems(with: password, username: username.value, displayName: displayName, commonPasswords: common)
    guard problems.isEmpty else {
        throw CLIError("the password " + problems.map(\.description).joined(separator: "; "))
    }
}

extension SigningAlgorithm {
    /// The JOSE algorithm this policy value names.
    var jose: JWSAlgorithm {
        switch self {
        case .es256: .es256
        case .rs256: .rs256
        case .ps256: .ps256
        case .edDSA: .edDSA
        }
    }
}
