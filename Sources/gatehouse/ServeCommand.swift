import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseKeys
import GatehouseLDAP
import GatehouseOAuth
import GatehousePasswords
import GatehousePolicy
import GatehouseServer
import GatehouseStore
import Logging
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server until SIGTERM or SIGINT, then stop gracefully.")

    @Option(help: "Listening address (env GATEHOUSE_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Listening port, 0 for any free one (env GATEHOUSE_PORT; default 8080).") var port: Int?
    @Option(help: "Issuer URL (env GATEHOUSE_ISSUER; default http://HOST:PORT, https://HOST:PORT with TLS).") var issuer: String?
    @Option(help: "PEM certificate chain: terminate TLS here, reloaded on SIGHUP (env GATEHOUSE_TLS_CERTIFICATE).") var tlsCertificate: String?
    @Option(help: "PEM private key of --tls-certificate (env GATEHOUSE_TLS_KEY).") var tlsKey: String?
    @Option(help: "Reverse proxy address or CIDR whose X-Forwarded-For/-Proto and Forwarded headers are believed; repeatable (env GATEHOUSE_TRUSTED_PROXIES, comma-separated).")
    var trustedProxy: [String] = []
    @Option(help: "Largest request body in bytes (env GATEHOUSE_MAX_BODY_SIZE; default 1048576).") var maxBodySize: String?
    @Option(help: "Largest request head in bytes (env GATEHOUSE_MAX_HEADER_SIZE; default 32768).") var maxHeaderSize: String?
    @Option(help: "Most header fields in a request (env GATEHOUSE_MAX_HEADER_COUNT; default 100).") var maxHeaderCount: String?
    @Option(help: "Seconds for a new connection's TLS handshake and first request head (env GATEHOUSE_HEADER_TIMEOUT; default 10).") var headerTimeout: String?
    @Option(help: "Seconds for a request body after its head (env GATEHOUSE_BODY_TIMEOUT; default 30).") var bodyTimeout: String?
    @Option(help: "Seconds a kept-alive connection may wait for its next request (env GATEHOUSE_IDLE_TIMEOUT; default 60).") var idleTimeout: String?
    @OptionGroup var data: DataOptions

    func run() async throws {
        GatehouseLogging.bootstrap(level: env("GATEHOUSE_LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info)
        let logger = Logger(label: "gatehouse")
        let host = self.host ?? env("GATEHOUSE_HOST") ?? "127.0.0.1"
        let portText = self.port.map(String.init) ?? env("GATEHOUSE_PORT") ?? "8080"
        guard let port = Int(portText), (0...65_535).contains(port) else { throw CLIError("invalid port '\(portText)'") }
        let issuer = self.issuer ?? env("GATEHOUSE_ISSUER")
        if let issuer { try validateIssuer(issuer) }
        let transport = try transportSettings()

        // Everything that can be wrong is checked before the socket opens, so a bad policy, key
        // file or database stops start-up with one clear line.
        let policies = try loadPolicies(data)
        let ring = try KeyRing.load(directory: data.keysPath)
        let algorithms = Set([policies.tokens.accessTokenSigningAlg.jose, policies.tokens.idTokenSigningAlg.jose])
        let checkSigningKeys: @Sendable () throws -> Void = {
            for alg in algorithms.sorted(by: { $0.rawValue < $1.rawValue }) { _ = try ring.signingKey(for: alg, at: Date()) }
        }
        do { try checkSigningKeys() } catch { throw CLIError("\(error)") }
        let pepper = try PepperFile.load(keys: data.keysPath)
        if try MFAKeyFile.ensure(keys: data.keysPath) {
            logger.notice("generated the second-factor key; every node must share it", metadata: ["file": .string("\(data.keysPath)/\(MFAKeyFile.name)")])
        }
        let secondFactorKeys = try MFAKeyFile.load(keys: data.keysPath)
        let bridges: [DirectoryBridge]
        do { bridges = try DirectoryBridge.open(policies.ldap) } catch { throw CLIError("\(error)") }
        let store = try await data.openStore()
        do {
            let summary = try await syncPolicyClients(policies.clients, policiesPath: data.policiesPath, pepper: pepper, store: store)
            logger.info("clients synchronised", metadata: ["summary": .string(summary)])
            try await recordPolicyLoad(policiesPath: data.policiesPath, store: store)
            let units = policies.mfaRequiredUnits
            let unknown = try await store.read { tx in units.filter { (try? tx.unit(path: $0)) == nil } }
            for path in unknown {
                logger.warning("roles.yaml mfa_required_units names a unit that does not exist", metadata: ["unit": .string(path.description)])
            }
        } catch {
            await store.close()
            throw error
        }

        let configuration = ServerConfiguration(host: host, port: port, issuer: issuer, tls: transport.tls,
                                                trustedProxies: transport.proxies, limits: transport.limits)
        let passwords: PasswordService
        let oidc: OIDCServices
        let backchannel: BackchannelDispatcher
        do {
            let tokens = policies.tokens
            let engine = OAuthEngine(
                configuration: OAuthConfiguration(
                    issuer: configuration.issuer,
                    lifetimes: tokens.lifetimes,
                    accessTokenAlgorithm: tokens.accessTokenSigningAlg.jose, idTokenAlgorithm: tokens.idTokenSigningAlg.jose,
                    clientSecretPepper: pepper,
                    roles: Dictionary(policies.roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }),
                    clockSkew: tokens.clockSkew, logoutTokenLifetime: ServeDefaults.logoutTokenLifetime,
                    secondFactor: SecondFactorPolicy(roles: policies.roles, requiredUnits: policies.mfaRequiredUnits)),
                store: store, keys: ring)
            passwords = try PasswordService(parameters: argon2Parameters(policies))
            backchannel = BackchannelDispatcher(store: store, logger: Logger(label: "gatehouse.backchannel"))
            oidc = OIDCServices(engine: engine, passwords: passwords, passwordPolicy: policies.password,
                                commonPasswords: try policies.password.loadCommonPasswords(), tokenPolicy: tokens,
                                logoutNotifier: backchannel, secondFactor: secondFactorKeys, directories: DirectoryLogins(bridges.map(\.login)))
            try await GatehouseServer.registerConsoleClient(issuer: oidc.issuer, store: store)
        } catch {
            await store.close()
            throw CLIError("\(error)")
        }
        let engine = oidc.engine

        let readiness = [
            ReadinessCheck(name: "store") { try await store.ping() },
            ReadinessCheck(name: "keys") { try checkSigningKeys() },
        ]
        // Services stop in reverse order: the HTTP server first (requests in flight finish), then
        // the periodic jobs and back-channel deliveries, the hashing pool, and the store last.
        let services: [any Service] = [
            CloseOnShutdown { await store.close() },
            CloseOnShutdown { passwords.shutdown() },
            CloseOnShutdown { for bridge in bridges { bridge.shutDown() } },
            backchannel,
            PeriodicService(name: "keys-reload", every: .seconds(10), logger: logger) {
                if try ring.reloadIfChanged() { logger.info("signing keys reloaded", metadata: ["keys": .stringConvertible(ring.list().count)]) }
            },
            PeriodicService(name: "purge-expired", every: .seconds(300), logger: logger) {
                _ = try await engine.purgeExpired()
            },
        ] + bridges.map { bridge -> any Service in
            // ldap.yaml's directories, each at its sync_interval; the lease lets one node write at a time.
            let disabler = EngineAccountDisabler(engine: engine, notifier: backchannel)
            return DirectorySyncService(engine: bridge.syncEngine(store: store, disabler: disabler, node: DirectoryBridge.nodeName),
                                        every: bridge.directory.syncPeriod, logger: Logger(label: "gatehouse.ldap"))
        }
        let database = DataOptions.redacted(data.databaseURL)
        let app = GatehouseServer.application(configuration: configuration, readiness: readiness, services: services, oidc: oidc, logger: logger) { actualPort in
            let scheme = configuration.tls == nil ? "http" : "https"
            logger.info("listening", metadata: ["url": .string("\(scheme)://\(host):\(actualPort)"), "issuer": .string(configuration.issuer), "database": .string(database)])
        }
        try await app.runService()
        logger.info("stopped")
    }

    /// TLS files, trusted proxies and HTTP limits from the options, else the environment.
    private func transportSettings() throws -> (tls: TLSCertificate?, proxies: TrustedProxies, limits: HTTPLimits) {
        let given = [maxBodySize, maxHeaderSize, maxHeaderCount, headerTimeout, bodyTimeout, idleTimeout]
        var settings: [String: String] = [:]
        for (name, value) in zip(HTTPLimits.settingNames, given) {
            settings[name] = value ?? env("GATEHOUSE_" + name.uppercased().replacingOccurrences(of: "-", with: "_"))
        }
        let proxyList = trustedProxy.isEmpty ? env("GATEHOUSE_TRUSTED_PROXIES").map(TrustedProxies.list) ?? [] : trustedProxy
        let certificate = tlsCertificate ?? env("GATEHOUSE_TLS_CERTIFICATE"), key = tlsKey ?? env("GATEHOUSE_TLS_KEY")
        do {
            let limits = try HTTPLimits(settings: settings)
            let proxies = try TrustedProxies(proxyList)
            switch (certificate, key) {
            case (nil, nil): return (nil, proxies, limits)
            case (let certificate?, let key?): return (try TLSCertificate(certificatePath: certificate, keyPath: key), proxies, limits)
            default: throw CLIError("--tls-certificate and --tls-key go together")
            }
        } catch let error as CLIError { throw error } catch { throw CLIError("\(error)") }
    }

    private func validateIssuer(_ issuer: String) throws {
        // OIDC Discovery §3: https, no query or fragment (http is accepted for development on loopback).
        guard let url = URL(string: issuer), let scheme = url.scheme, url.host != nil, url.query == nil, url.fragment == nil,
              scheme == "https" || scheme == "http" else {
            throw CLIError("invalid issuer '\(issuer)': use an https URL without query or fragment")
        }
    }
}
