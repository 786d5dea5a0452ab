import ArgumentParser
import Foundation
import GatehouseStore
import GatehouseStoreSQL
import GatehouseStoreSQLite
import GatehouseStorePostgres
import GatehouseCore

/// `--database`, `--policies`, `--keys`: accepted the same way by every command that touches
/// data. Each falls back to `GATEHOUSE_DATABASE`, `GATEHOUSE_POLICIES`, `GATEHOUSE_KEYS`.
struct DataOptions: ParsableArguments {
    @Option(help: "sqlite:PATH or postgres://USER@HOST:PORT/DB (env GATEHOUSE_DATABASE; default sqlite:data/gatehouse.sqlite).")
    var database: String?

    @Option(help: "Folder of policy files (env GATEHOUSE_POLICIES; default Policies).")
    var policies: String?

    @Option(help: "Folder of signing keys (env GATEHOUSE_KEYS; default Keys).")
    var keys: String?

    var databaseURL: String { database ?? env("GATEHOUSE_DATABASE") ?? "sqlite:data/gatehouse.sqlite" }
    var policiesPath: String { policies ?? env("GATEHOUSE_POLICIES") ?? "Policies" }
    var keysPath: String { keys ?? env("GATEHOUSE_KEYS") ?? "Keys" }

    /// Opens the configured backend and applies pending migrations.
    func openStore(clock: any GatehouseCore.Clock = SystemClock()) async throws -> any Store {
        let url = databaseURL
        let database: any SQLDatabase
        do {
            if url.hasPrefix("sqlite:") {
                let path = String(url.dropFirst("sqlite:".count))
                guard !path.isEmpty else { throw CLIError("--database sqlite: needs a file path, e.g. sqlite:data/gatehouse.sqlite") }
                database = try SQLiteDatabase(path: path)
            } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                database = try PostgresDatabase(url: url)
            } else {
                throw CLIError("unsupported --database '\(Self.redacted(url))': use sqlite:PATH or postgres://USER@HOST:PORT/DB")
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot open database \(Self.redacted(url)): \(error)")
        }
        do {
            return try await SQLStore(database: database, clock: clock)
        } catch {
            await database.close()
            throw CLIError("cannot prepare database \(Self.redacted(url)): \(error)")
        }
    }

    /// The URL with any password replaced, safe for messages and logs.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex) else { return url }
        let userinfo = url[scheme.upperBound..<at.lowerBound]
        guard let colon = userinfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at.lowerBound...])
    }
}

func env(_ name: String) -> String? {
    guard let v = ProcessInfo.processInfo.environment[name], !v.isEmpty else { return nil }
    return v
}

/// Runs `body` with the store open and closes it afterwards, whatever happens.
func withStore<T>(_ options: DataOptions, _ body: (any Store) async throws -> T) async throws -> T {
    let store = try await options.openStore()
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}
