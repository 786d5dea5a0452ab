import Foundation
import GatehouseCore
import GatehouseJOSE
import GatehousePasswords
import GatehousePolicy

/// Loads the policy folder; every problem becomes one `file:line:column: message` line.
func loadPolicies(_ data: DataOptions) throws -> PolicySet {
    do { return try PolicySet.load(directory: data.policiesPath) } catch {
        throw CLIError(error.description)
    }
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
