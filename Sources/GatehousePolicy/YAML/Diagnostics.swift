import Yams

/// Collects the issues of one file, so that loading goes on after an error and reports them all.
final class Diagnostics {
    let file: String
    private(set) var issues: [PolicyIssue] = []

    init(file: String) { self.file = file }

    /// Records `message` at `node`'s position (the file's start when the node has none).
    func error(_ message: String, at node: Node?) {
        error(message, at: node?.mark)
    }

    func error(_ message: String, at mark: Mark?) {
        issues.append(PolicyIssue(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    var isClean: Bool { issues.isEmpty }
}
