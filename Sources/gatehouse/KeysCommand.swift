import ArgumentParser
import Foundation
import GatehouseJOSE
import GatehouseKeys

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage signing keys in the keys folder (see Keys/README.md for the lifecycle).",
        subcommands: [Generate.self, List.self, Retire.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a signing key. Without --alg, generate what the token policy needs (RS256 for ID tokens, ES256 for access tokens) where missing."
        )
        @Option(help: "ES256, EdDSA, RS256 or PS256.", transform: { raw in
            do { return try JWSAlgorithm(parsing: raw) } catch { throw ValidationError("--alg must be ES256, EdDSA, RS256 or PS256") }
        }) var alg: JWSAlgorithm?
        @Flag(help: "Only generate keys for algorithms that have none able to sign now or later.") var ifMissing = false
        @OptionGroup var data: DataOptions

        func run() async throws {
            let ring = try KeyRing.load(directory: data.keysPath)
            let policies = try loadPolicies(data)
            let now = Date()
            let algorithms = alg.map { [$0] } ?? [policies.tokens.idTokenSigningAlg.jose, policies.tokens.accessTokenSigningAlg.jose]
            let created: [KeyInfo]
            if ifMissing || alg == nil {
                created = try ring.ensureKeys(for: algorithms, now: now)
            } else {
                created = [try ring.generate(algorithms[0], now: now, activationDelay: policies.tokens.keyActivationDelay)]
            }
            if try PepperFile.ensure(keys: data.keysPath) { print("generated the client-secret pepper \(data.keysPath)/\(PepperFile.name)") }
            if try MFAKeyFile.ensure(keys: data.keysPath) { print("generated the second-factor key \(data.keysPath)/\(MFAKeyFile.name)") }
            if created.isEmpty { print("keys present for \(algorithms.map(\.rawValue).joined(separator: ", ")); nothing generated") }
            for key in created {
                let when = key.activatesAt <= now ? "signs now" : "signs from \(key.activatesAt.formatted(.iso8601))"
                print("generated \(key.algorithm.rawValue) key \(key.keyID) (\(when))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys with their state: pending, signing, standby, retired (still published) or expired.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let ring = try KeyRing.load(directory: data.keysPath, createIfMissing: false)
            let policies = try loadPolicies(data)
            let now = Date()
            for key in ring.list() {
                let status = ring.status(of: key, at: now, maxTokenLifetime: policies.tokens.retiredKeyRetention)
                print([key.keyID, key.algorithm.rawValue.padded(6), status.rawValue.padded(8),
                       "created \(key.createdAt.formatted(.iso8601))", "activates \(key.activatesAt.formatted(.iso8601))",
                       key.retiredAt.map { "retired \($0.formatted(.iso8601))" } ?? ""].joined(separator: "  "))
            }
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a key signing now; it stays published until every token it signed has expired.")
        @Argument(help: "The key id (kid).") var kid: String
        @OptionGroup var data: DataOptions

        func run() async throws {
            let ring = try KeyRing.load(directory: data.keysPath, createIfMissing: false)
            let key = try ring.retire(keyID: kid, at: Date())
            print("retired \(key.keyID); published until \((key.retiredAt ?? Date()).addingTimeInterval(try loadPolicies(data).tokens.retiredKeyRetention).formatted(.iso8601))")
        }
    }
}
