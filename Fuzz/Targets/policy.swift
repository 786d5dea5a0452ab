// Fuzz target: the policy YAML loader (GatehousePolicy over Yams and libyaml). Each input is
// one policy file's text. It is composed once and read by every file's loader (password,
// tokens, roles, clients, ldap), then loaded through the public `PolicySet.parse` as
// `ldap.yaml`, which also runs the check of LDAP group mappings against the roles.
//
// Paths in the text (`common_passwords_file`) are only tested for readability, relative to
// Policies/; scripts/fuzz.sh runs the target from the repository root.
//
// Invariants: every issue names its file and a position from line 1, column 1; a loader that
// records no issue returns a value.
import GatehousePolicy
import Yams
@testable import GatehousePolicy

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    checkLoaders(text)
    checkPolicySet(text)
    return 0
}

func checkLoaders(_ text: String) {
    let parsing = Diagnostics(file: "Policies/fuzz.yaml")
    guard let root = YAMLFile.compose(text, diagnostics: parsing) else {
        invariant(!parsing.isClean, "YAML that composes to nothing records no issue")
        checkIssues(parsing.issues)
        return
    }
    func run(_ load: (Node, Diagnostics) -> Any?) {
        let diagnostics = Diagnostics(file: "Policies/fuzz.yaml")
        let value = load(root, diagnostics)
        invariant(value != nil || !diagnostics.isClean, "a loader returns nothing and records no issue")
        checkIssues(diagnostics.issues)
    }
    run { PasswordPolicy.load($0, directory: "Policies", diagnostics: $1) }
    run { TokenPolicy.load($0, diagnostics: $1) }
    run { RolesLoader.load($0, diagnostics: $1) }
    run { ClientsLoader.load($0, diagnostics: $1) }
    run { LDAPLoader.load($0, diagnostics: $1) }
}

func checkPolicySet(_ text: String) {
    do {
        _ = try PolicySet.parse(["ldap.yaml": text], directory: "Policies")
    } catch {
        invariant(!error.issues.isEmpty, "a policy error without issues")
        checkIssues(error.issues)
    }
}

func checkIssues(_ issues: [PolicyIssue]) {
    for issue in issues {
        invariant(!issue.file.isEmpty && issue.line >= 1 && issue.column >= 1 && !issue.message.isEmpty,
                  "an issue without a place or a message: \(issue)")
    }
}
