public import Foundation
public import GatehouseCore
public import GatehouseLDAP
public import GatehousePolicy
public import GatehouseStore

/// Everything Gatehouse holds open for one directory of `ldap.yaml`: a pool bound as the
/// service account for the login searches, an anonymous pool for the user binds, and a
/// one-connection pool for the synchronisation, so a long full read never delays a login.
///
/// ```swift
/// let bridges = try DirectoryBridge.open(policies.ldap)
/// let oidc = OIDCServices(engine: engine, …, directories: DirectoryLogins(bridges.map(\.login)))
/// let report = try await bridges[0].syncEngine(store: store, disabler: disabler, node: "node-1").run()
/// ```
///
/// Pools connect on first use, so opening never waits for a directory.
public final class DirectoryBridge: Sendable {
    public let directory: LDAPDirectory
    public let syncConfiguration: DirectorySyncConfiguration
    /// What the login form needs.
    public let login: DirectoryLogins.Directory
    public let syncPool: LDAPConnectionPool
    private let searchPool: LDAPConnectionPool
    private let bindPool: LDAPConnectionPool

    init(_ directory: LDAPDirectory, environment: [String: String]) throws(DirectoryBridgeError) {
        let connection = directory.connectionConfiguration
        let account = try directory.serviceAccount(environment: environment)
        self.directory = directory
        syncConfiguration = try directory.syncConfiguration()
        searchPool = LDAPConnectionPool(configuration: connection, credentials: account, maximumConnections: 4)
        bindPool = LDAPConnectionPool(configuration: connection, credentials: nil, maximumConnections: 4)
        syncPool = LDAPConnectionPool(configuration: connection, credentials: account, maximumConnections: 1, checkoutTimeout: .seconds(30))
        let authenticator: LDAPAuthenticator
        do {
            authenticator = try LDAPAuthenticator(searchPool: searchPool, bindPool: bindPool, userSearch: directory.userSearch)
        } catch {
            throw DirectoryBridgeError("directory '\(directory.name)': \(error.message)")
        }
        login = DirectoryLogins.Directory(
            name: directory.name, authenticator: authenticator, externalIDAttribute: directory.attributes.externalID,
            cachedPasswordFallback: directory.cachedPasswordFallback)
    }

    /// A bridge for each directory of `policy`; `only` narrows them to one name.
    public static func open(
        _ policy: LDAPPolicy, only: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DirectoryBridgeError) -> [DirectoryBridge] {
        var bridges: [DirectoryBridge] = []
        for directory in policy.directories where only == nil || directory.name == only {
            bridges.append(try DirectoryBridge(directory, environment: environment))
        }
        return bridges
    }

    /// The synchronisation of this directory into `store`.
    public func syncEngine(
        store: any Store, disabler: any DirectoryAccountDisabler, clock: any GatehouseCore.Clock = SystemClock(), node: String
    ) -> DirectorySyncEngine {
        DirectorySyncEngine(configuration: syncConfiguration, pool: syncPool, store: store, disabler: disabler, clock: clock, node: node)
    }

    /// Closes every connection.
    public func shutDown() {
        searchPool.shutDown()
        bindPool.shutDown()
        syncPool.shutDown()
    }

    /// This host and process, for lease holders: `host:pid`.
    public static var nodeName: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }
}
