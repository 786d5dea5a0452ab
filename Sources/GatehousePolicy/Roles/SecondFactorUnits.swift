import GatehouseCore
import Yams

extension RolesLoader {
    /// Reads `mfa_required_units`, the units whose every account must use a second factor
    /// (RFC 6238 TOTP) whatever its roles. A path covers the unit's whole subtree, as a role
    /// grant does:
    ///
    /// ```yaml
    /// mfa_required_units: [/ha-noi, /hue/phuong-phu-xuan]
    /// ```
    ///
    /// Each item must be a unit path (`/`, `/province`, `/province/commune`); a path listed
    /// twice, or inside or around another listed path, is an error naming the line of the other. Absent,
    /// the list is empty: only roles marked `mfa: required` (and enrolment) decide.
    static func loadSecondFactorUnits(_ f: Fields) -> [UnitPath] {
        guard let items = f.strings("mfa_required_units") else { return [] }
        var units: [(path: UnitPath, line: Int)] = []
        for (text, node) in items {
            let path: UnitPath
            do { path = try UnitPath(text) } catch {
                f.error("mfa_required_units: '\(text)' is not a unit path (\(error.description))", at: node)
                continue
            }
            let line = (node.mark?.line ?? 0)
            if let earlier = units.first(where: { $0.path.contains(path) || path.contains($0.path) }) {
                let how = earlier.path == path ? "is listed twice"
                    : earlier.path.contains(path) ? "is inside \(earlier.path)" : "contains \(earlier.path)"
                f.error("mfa_required_units: \(path) \(how) (line \(earlier.line)); a path covers its whole subtree", at: node)
                continue
            }
            units.append((path, line))
        }
        return units.map(\.path)
    }
}
