public import GatehouseCore

/// The roles used when `roles.yaml` is absent; the shipped file declares the same and explains them.
public enum RoleCatalogue {
    /// Application permissions the default roles carry (party applications define their own).
    static let documentsRead: Permission = "documents.read"
    static let documentsWrite: Permission = "documents.write"

    public static let defaults: [Role] = [
        Role(name: "central-admin", description: "Administers every unit, client and the audit trail",
             permissions: Set(Permission.administrative + [documentsRead, documentsWrite]),
             grantableAt: [.central], mfaRequired: true),
        Role(name: "province-admin", description: "Administers accounts and communes of one province",
             permissions: [.accountsCreate, .accountsEdit, .accountsDisable, .accountsResetCredentials,
                           .rolesGrant, .unitsManage, .auditRead, documentsRead, documentsWrite],
             grantableAt: [.province], mfaRequired: true),
        Role(name: "commune-admin", description: "Administers the accounts of one commune",
             permissions: [.accountsCreate, .accountsEdit, .accountsDisable, .accountsResetCredentials,
                           .rolesGrant, documentsRead, documentsWrite],
             grantableAt: [.commune], mfaRequired: true),
        Role(name: "auditor", description: "Reads the audit trail of a subtree",
             permissions: [.auditRead], grantableAt: [.central, .province], mfaRequired: true),
        Role(name: "clerk", description: "Drafts and files documents",
             permissions: [documentsRead, documentsWrite], grantableAt: [.central, .province, .commune]),
        Role(name: "official", description: "Reads documents of their unit",
             permissions: [documentsRead], grantableAt: [.central, .province, .commune]),
    ]
}
