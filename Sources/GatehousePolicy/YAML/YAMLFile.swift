import Foundation
import Yams

/// Reads and composes one YAML policy file into a node tree that keeps line and column marks.
enum YAMLFile {
    /// The root node of `text`, or `nil` after recording why there is none.
    static func compose(_ text: String, diagnostics: Diagnostics) -> Node? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            record(error, diagnostics)
            return nil
        } catch {
            diagnostics.error("cannot parse YAML: \(error)", at: nil as Mark?)
            return nil
        }
        guard let root else {
            diagnostics.error("the file is empty; delete it to use the built-in defaults", at: nil as Mark?)
            return nil
        }
        return root
    }

    private static func record(_ error: YamlError, _ diagnostics: Diagnostics) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let where_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            diagnostics.error("YAML syntax error: \(problem)\(where_)", at: mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            diagnostics.error("duplicate key \(keys) in a mapping", at: context.mark)
        case .reader(let problem, _, _, _):
            diagnostics.error("cannot read the file as YAML text: \(problem)", at: nil as Mark?)
        default:
            diagnostics.error("cannot parse YAML: \(error)", at: nil as Mark?)
        }
    }
}
