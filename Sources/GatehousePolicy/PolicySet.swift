import Foundation
public import GatehouseCore
import Yams

/// Every policy file, loaded and validated together.
///
/// ```swift
/// let policies = try PolicySet.load(directory: "Policies")
/// policies.tokens.accessTokenLifetime   // 300
/// Authorizer(roles: policies.roles)
/// ```
///
/// A missing file means its documented defaults. A file that is present but wrong is always an
/// error: loading goes through every file and throws one ``PolicyError`` listing every issue,
/// each with `file:line:column`.
public struct PolicySet: Sendable {
    public var password: PasswordPolicy
    public var tokens: TokenPolicy
    public var roles: [Role]
    public var clients: [ClientDeclaration]
    public var ldap: LDAPPolicy
    /// Units whose every account, in the unit's whole subtree, must use a second factor
    /// whatever its roles (`roles.yaml` `mfa_required_units`); roles say it with `mfa: required`.
    public var mfaRequiredUnits: [UnitPath]

    public init(
        password: PasswordPolicy, tokens: TokenPolicy, roles: [Role], clients: [ClientDeclaration], ldap: LDAPPolicy,
        mfaRequiredUnits: [UnitPath] = []
    ) {
        self.password = password
        self.tokens = tokens
        self.roles = roles
        self.clients = clients
        self.ldap = ldap
        self.mfaRequiredUnits = mfaRequiredUnits
    }

    /// What Gatehouse runs with when the policy folder is empty.
    public static let defaults = PolicySet(
        password: .defaults, tokens: .defaults, roles: RoleCatalogue.defaults, clients: [], ldap: .defaults)

    /// The file names read from the policy folder.
    public static let fileNames = ["password.yaml", "tokens.yaml", "roles.yaml", "clients.yaml", "ldap.yaml"]

    /// Loads `directory`/{password,tokens,roles,clients,ldap}.yaml. File names in issues are
    /// `directory` joined with the file name, as given (`Policies/roles.yaml`).
    public static func load(directory: String) throws(PolicyError) -> PolicySet {
        var sources: [String: String] = [:]
        var issues: [PolicyIssue] = []
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw PolicyError(issues: [PolicyIssue(file: directory, line: 1, column: 1, message: "policy folder not found")])
        }
        for name in fileNames {
            let path = join(directory, name)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                issues.append(PolicyIssue(file: path, line: 1, column: 1, message: "cannot read the file"))
                continue
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                issues.append(PolicyIssue(file: path, line: 1, column: 1, message: "the file is not valid UTF-8"))
                continue
            }
            sources[name] = text
        }
        do {
            let set = try parse(sources, directory: directory)
            if issues.isEmpty { return set }
        } catch {
            issues += error.issues
        }
        throw PolicyError(issues: issues.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
    }

    /// Loads policy texts keyed by file name (`"roles.yaml"`); names left out get their defaults.
    /// `directory` prefixes file names in issues and resolves relative paths.
    public static func parse(_ sources: [String: String], directory: String = "Policies") throws(PolicyError) -> PolicySet {
        var set = PolicySet.defaults
        var issues: [PolicyIssue] = []
        var groupRefs: [LDAPLoader.GroupRef] = []
        var ldapDiagnostics: Diagnostics?
        var rolesClean = true

        func read<T>(_ name: String, _ body: (Node, Diagnostics) -> T?) -> T? {
            guard let text = sources[name] else { return nil }
            let diagnostics = Diagnostics(file: join(directory, name))
            defer { issues += diagnostics.issues }
            guard let root = YAMLFile.compose(text, diagnostics: diagnostics) else { return nil }
            let value = body(root, diagnostics)
            return diagnostics.isClean ? value : nil
        }

        if let p = read("password.yaml", { PasswordPolicy.load($0, directory: directory, diagnostics: $1) }) { set.password = p }
        if let t = read("tokens.yaml", { TokenPolicy.load($0, diagnostics: $1) }) { set.tokens = t }
        if sources["roles.yaml"] != nil {
            if let r = read("roles.yaml", { RolesLoader.load($0, diagnostics: $1) }) {
                set.roles = r.roles
                set.mfaRequiredUnits = r.mfaRequiredUnits
            } else { rolesClean = false }
        }
        if let c = read("clients.yaml", { ClientsLoader.load($0, diagnostics: $1) }) { set.clients = c }
        if let text = sources["ldap.yaml"] {
            let diagnostics = Diagnostics(file: join(directory, "ldap.yaml"))
            if let root = YAMLFile.compose(text, diagnostics: diagnostics), let (ldap, refs) = LDAPLoader.load(root, diagnostics: diagnostics) {
                if diagnostics.isClean { set.ldap = ldap }
                groupRefs = refs
            }
            ldapDiagnostics = diagnostics
        }
        // Cross-file: group mappings must name a declared role, grantable at the unit's level.
        if rolesClean, let diagnostics = ldapDiagnostics {
            let roles = Dictionary(set.roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for ref in groupRefs {
                guard let role = roles[ref.role] else {
                    diagnostics.error("\(ref.context): role '\(ref.role)' is not declared in roles.yaml", at: ref.roleNode)
                    continue
                }
                if !role.grantableAt.contains(ref.unit.level) {
                    let levels = role.grantableAt.sorted().map(\.rawValue).joined(separator: ", ")
                    diagnostics.error("\(ref.context): role '\(ref.role)' may be granted only at \(levels), not at \(ref.unit.level.rawValue) unit \(ref.unit)", at: ref.unitNode)
                }
            }
            if !diagnostics.isClean { set.ldap = .defaults }
        }
        issues += ldapDiagnostics?.issues ?? []
        guard issues.isEmpty else { throw PolicyError(issues: issues) }
        return set
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
