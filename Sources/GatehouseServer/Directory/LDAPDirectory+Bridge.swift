public import Foundation
public import GatehouseLDAP
public import GatehousePolicy

/// A directory of `ldap.yaml` that cannot be bridged as written (a DN that does not parse, a
/// bind password that is not set). The message names the directory and never a secret.
public struct DirectoryBridgeError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension LDAPDirectory {
    /// Where the directory is and how connections to it are protected.
    public var connectionConfiguration: LDAPConfiguration {
        LDAPConfiguration(
            url: url, tls: startTLS ? .startTLS : nil, caCertificateFile: caFile, requireCertificate: verifyCertificate)
    }

    /// The service account, its password read from the variable or file `ldap.yaml` names.
    public func serviceAccount(environment: [String: String] = ProcessInfo.processInfo.environment) throws(DirectoryBridgeError) -> LDAPCredentials {
        do {
            return LDAPCredentials(dn: bindDN, password: try bindPassword.read(environment: environment))
        } catch {
            throw DirectoryBridgeError("directory '\(name)': the bind password: \(error.description)")
        }
    }

    /// How the login form finds a user: `(&USER_FILTER(USERNAME_ATTRIBUTE=typed))` below the
    /// user base, returning the username and external id.
    public var userSearch: LDAPUserSearch {
        LDAPUserSearch(baseDN: userBase, filter: userFilter, usernameAttribute: attributes.username,
                       attributes: [attributes.username, attributes.externalID])
    }

    /// What the synchronisation of this directory does, its DNs parsed.
    public func syncConfiguration() throws(DirectoryBridgeError) -> DirectorySyncConfiguration {
        func dn(_ text: String, _ what: String) throws(DirectoryBridgeError) -> DistinguishedName {
            do { return try DistinguishedName(text) } catch {
                throw DirectoryBridgeError("directory '\(name)': \(what) '\(text)' is not a DN: \(error.message)")
            }
        }
        var units: [DirectorySyncConfiguration.UnitRule] = []
        for rule in unitRules {
            switch rule.match {
            case .organizationalUnit(let ou): units.append(.init(match: .organizationalUnit(ou), unit: rule.unit))
            case .dnSuffix(let suffix): units.append(.init(match: .dnSuffix(try dn(suffix, "dn_suffix")), unit: rule.unit))
            }
        }
        var groups: [DirectorySyncConfiguration.GroupRule] = []
        for rule in groupRoles { groups.append(.init(group: try dn(rule.group, "group"), role: rule.role, unit: rule.unit)) }
        _ = try dn(userBase, "user_base")
        return DirectorySyncConfiguration(
            name: name, userBase: userBase, userFilter: userFilter, groupFilter: groupFilter,
            attributes: .init(username: attributes.username, displayName: attributes.displayName, email: attributes.email,
                              externalID: attributes.externalID),
            unitRules: units, groupRules: groups, keepsPasswordVerifiers: cachedPasswordFallback)
    }

    /// `sync_interval` as a duration.
    public var syncPeriod: Duration { .milliseconds(Int64((syncInterval * 1000).rounded())) }
}
