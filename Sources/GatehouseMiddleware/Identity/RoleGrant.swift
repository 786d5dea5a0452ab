/// One entry of a Gatehouse token's `roles` claim, `ROLE@UNIT-PATH`: the role holds in that
/// unit and everywhere below it.
///
/// ```swift
/// let grant = RoleGrant("clerk@/ha-noi")!
/// grant.holds("clerk", at: "/ha-noi/phuong-ba-dinh")   // true
/// grant.holds("clerk", at: "/hue")                     // false
/// RoleGrant("clerk@ha-noi")                            // nil: not a unit path
/// ```
public struct RoleGrant: Sendable, Hashable, CustomStringConvertible {
    /// The role's name, e.g. `clerk`.
    public var role: String
    /// The unit it was granted at.
    public var unit: UnitPath

    /// Creates a grant.
    public init(role: String, unit: UnitPath) {
        self.role = role
        self.unit = unit
    }

    /// Parses `ROLE@UNIT-PATH`; `nil` when the role is empty or the path malformed.
    public init?(_ string: String) {
        let bytes = string.utf8
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at != bytes.startIndex,
              !bytes[..<at].contains(where: { $0 <= 0x20 || $0 == 0x7F }),
              let unit = UnitPath(String(string[bytes.index(after: at)...])) else {
            return nil
        }
        self.role = String(string[..<at])
        self.unit = unit
    }

    /// True when this grant gives `role` at `unit`: same role, and `unit` in this grant's subtree.
    public func holds(_ role: String, at unit: UnitPath) -> Bool {
        self.role == role && self.unit.contains(unit)
    }

    /// `ROLE@UNIT-PATH`.
    public var description: String { "\(role)@\(unit)" }
}
