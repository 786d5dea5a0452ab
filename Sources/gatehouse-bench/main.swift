import Foundation

// `gatehouse-bench [jose|passwords|store|oidc ...]`: each benchmark prints its figure next to the
// cost of the primitive underneath, measured in the same run. Run through `make bench`.
let all: [String: () async throws -> Void] = [
    "jose": JOSEBench.run,
    "passwords": PasswordBench.run,
    "store": StoreBench.run,
    "oidc": OIDCBench.run,
    "ldap": LDAPBench.run,
    "import": ImportBench.run,
    "middleware": MiddlewareBench.run,
    "admin": AdminBench.run,
]
let requested = CommandLine.arguments.dropFirst().isEmpty ? all.keys.sorted() : Array(CommandLine.arguments.dropFirst())
for name in requested {
    guard let bench = all[name] else {
        FileHandle.standardError.write(Data("unknown benchmark '\(name)'; choose from \(all.keys.sorted().joined(separator: ", "))\n".utf8))
        exit(2)
    }
    print("== \(name)")
    try await bench()
}
