public import Foundation

/// Where a secret comes from: never the policy file itself, which is committed and shared.
public enum SecretSource: Hashable, Sendable, CustomStringConvertible {
    /// The value of an environment variable.
    case environment(String)
    /// The contents of a file (a mounted secret), without its trailing newline.
    case file(String)

    /// Reads the secret. Errors name the variable or file, never the value.
    public func read(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretSourceError) -> String {
        switch self {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else { throw .missing(description) }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { throw .missing(description) }
            var value = String(decoding: data, as: UTF8.self)
            while value.hasSuffix("\n") || value.hasSuffix("\r") { value.removeLast() }
            guard !value.isEmpty else { throw .missing(description) }
            return value
        }
    }

    public var description: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        }
    }
}

/// A secret's source held nothing.
public enum SecretSourceError: Error, Hashable, Sendable, CustomStringConvertible {
    case missing(String)
    public var description: String {
        switch self {
        case .missing(let source): "\(source) is not set or empty"
        }
    }
}

extension Fields {
    /// A secret given as `<prefix>_env` (variable name) or `<prefix>_file` (path): exactly one.
    /// An inline `<prefix>` value is refused where the caller allows the key so it can say why.
    func secretSource(_ prefix: String, required: Bool) -> SecretSource? {
        if let inline = value(prefix) {
            error("an inline \(prefix) is not allowed: policy files are shared and committed; use \(prefix)_env (an environment variable name) or \(prefix)_file (a path)", at: keyNode(prefix) ?? inline)
            return nil
        }
        let env = string("\(prefix)_env"), file = string("\(prefix)_file")
        switch (env, file) {
        case (let name?, nil):
            guard Self.isEnvironmentName(name) else {
                error("\(prefix)_env '\(name)' is not an environment variable name (letters, digits and '_', not starting with a digit)", at: value("\(prefix)_env"))
                return nil
            }
            return .environment(name)
        case (nil, let path?):
            guard !path.isEmpty else { error("\(prefix)_file must not be empty", at: value("\(prefix)_file")); return nil }
            return .file(path)
        case (_?, _?):
            error("give either \(prefix)_env or \(prefix)_file, not both", at: value("\(prefix)_file"))
            return nil
        case (nil, nil):
            if required && !has("\(prefix)_env") && !has("\(prefix)_file") {
                error("missing \(prefix)_env or \(prefix)_file", at: node)
            }
            return nil
        }
    }

    static func isEnvironmentName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return s.utf8.allSatisfy {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_")
        }
    }
}
