/// One problem in a policy file, located precisely enough for an editor to jump to it:
/// `Policies/roles.yaml:14:5: role 'clerk': unknown level 'district' (expected central, province, commune)`.
public struct PolicyIssue: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as it was named to the loader, e.g. `Policies/roles.yaml`.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int
    /// What is wrong, naming the offending value and what was expected.
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Every problem found while loading the policy files, across all of them, in file order.
/// `gatehouse policy check` prints ``description``: one issue per line.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public var issues: [PolicyIssue]

    public init(issues: [PolicyIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
