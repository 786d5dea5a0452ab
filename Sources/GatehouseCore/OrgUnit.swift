public import Foundation

/// An organisational unit (named OrgUnit to stay clear of Foundation.Unit): the central root, a province or centrally-run city, or a
/// commune, ward or special zone.
public struct OrgUnit: Hashable, Sendable, Codable, Identifiable {
    public var id: UUID
    /// Materialized path; its depth fixes the level.
    public var path: UnitPath
    /// Official name, UTF-8 NFC (e.g. "Phường Ba Đình").
    public var name: String
    /// Parent unit id; `nil` only for the root.
    public var parentID: UUID?
    /// Optional official administrative code.
    public var code: String?
    public var createdAt: Date
    public var updatedAt: Date

    public var level: UnitLevel { path.level }

    public init(id: UUID, path: UnitPath, name: String, parentID: UUID?, code: String? = nil, createdAt: Date, updatedAt: Date? = nil) {
        self.id = id
        self.path = path
        self.name = Text.nfc(name)
        self.parentID = parentID
        self.code = code
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}
