import Foundation
import GatehousePolicy
import Testing

/// The repository's `Policies/` folder.
let shippedPolicies: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Policies").path

/// A temporary policy folder holding `files`, removed by `cleanup`.
struct TempPolicies {
    let path: String

    init(_ files: [String: String]) throws {
        path = NSTemporaryDirectory() + "gatehouse-policy-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }

    /// Loads the folder and returns its issues (empty when it loads).
    func issues() -> [PolicyIssue] {
        do {
            _ = try PolicySet.load(directory: path)
            return []
        } catch {
            return error.issues
        }
    }
}

/// The issues of loading `files` through `PolicySet.parse`, with `Policies/` file names.
func issues(_ files: [String: String]) -> [PolicyIssue] {
    do {
        _ = try PolicySet.parse(files)
        return []
    } catch {
        return error.issues
    }
}

/// The commented example block of a shipped file, uncommented, in place of its empty list.
func uncommentedExample(_ file: String, emptyList: String) throws -> String {
    let text = try String(contentsOfFile: shippedPolicies + "/" + file, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let start = try #require(lines.firstIndex { $0.contains("Example (uncomment and adapt)") })
    var example: [String] = []
    for line in lines[(start + 1)...] {
        guard line.hasPrefix("#") else { break }
        example.append(line == "#" ? "" : String(line.dropFirst(2)))
    }
    return example.joined(separator: "\n") + "\n"
}
