/// A rule of the domain was broken. The description is safe to show to the person
/// who supplied the value: it names the value and the rule.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidUnitPath(String, String)
    case invalidUsername(String, String)
    case invalidName(String)
    case invalidEmail(String)
    case invalidRoleGrant(String)
    case invalidClient(String)

    public var description: String {
        switch self {
        case .invalidUnitPath(let p, let why): "invalid unit path '\(p)': \(why)"
        case .invalidUsername(let u, let why): "invalid username '\(u)': \(why)"
        case .invalidName(let why): "invalid name: \(why)"
        case .invalidEmail(let e): "invalid email address '\(e)'"
        case .invalidRoleGrant(let why): "invalid role grant: \(why)"
        case .invalidClient(let why): "invalid client: \(why)"
        }
    }
}
