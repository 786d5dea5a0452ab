// swift-tools-version:6.1
import Foundation
import PackageDescription

// Gatehouse: single sign-on and account platform.
// Dependencies point one way (see README "Module layout"): C bridges at the bottom,
// the domain (GatehouseCore) with no I/O, and the `gatehouse` tool on top as the
// only place that chooses storage backends.

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

func system(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([apt])])
}

func library(_ name: String, _ deps: [Target.Dependency]) -> Target {
    .target(name: name, dependencies: deps, swiftSettings: settings)
}

func tests(_ name: String, _ deps: [Target.Dependency], resources: [Resource]? = nil) -> Target {
    .testTarget(name: name, dependencies: deps, resources: resources, swiftSettings: settings)
}

let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

var targets: [Target] = [
    // C libraries: a module map and a shim header each, nothing more.
    system("COpenSSL", pkgConfig: "openssl", apt: "libssl-dev"),
    system("CArgon2", pkgConfig: "libargon2", apt: "libargon2-dev"),
    system("CLDAP", pkgConfig: "ldap", apt: "libldap-dev"),
    system("CPostgres", pkgConfig: "libpq", apt: "libpq-dev"),
    system("CSQLite", pkgConfig: "sqlite3", apt: "libsqlite3-dev"),
    system("CCrypt", pkgConfig: "libcrypt", apt: "libcrypt-dev"),

    library("GatehouseCore", []),
    library("GatehouseCrypto", ["COpenSSL"]),
    library("GatehouseJOSE", ["COpenSSL", "GatehouseCrypto"]),
    library("GatehouseKeys", ["GatehouseJOSE", "GatehouseCrypto"]),
    library("GatehousePasswords", ["CArgon2", "CCrypt", "COpenSSL", "GatehouseCrypto"]),
    library("GatehousePolicy", ["GatehouseCore", .product(name: "Yams", package: "Yams")]),
    library("GatehouseStore", ["GatehouseCore", "GatehouseCrypto", "GatehouseSCIM"]),
    library("GatehouseStoreSQL", ["GatehouseStore", "GatehouseCore", "GatehouseCrypto", "GatehouseSCIM"]),
    library("GatehouseStoreSQLite", ["GatehouseStoreSQL", "CSQLite"]),
    library("GatehouseStorePostgres", ["GatehouseStoreSQL", "CPostgres"]),
    library("GatehouseLDAP", ["CLDAP", "GatehouseCore", "GatehouseStore"]),
    library("GatehouseSCIM", ["GatehouseCore"]),
    library("GatehouseMFA", ["COpenSSL", "GatehouseCrypto"]),
    // What party applications import: JOSE (OpenSSL), an HTTP client and Hummingbird, nothing
    // else. `scripts/check-middleware-deps.sh` (run by `make test`) holds it to that.
    library("GatehouseMiddleware", [
        "GatehouseJOSE", "GatehouseCrypto", hummingbird, logging,
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
    ]),
    .executableTarget(
        name: "gatehouse-example", dependencies: ["GatehouseMiddleware", hummingbird, logging],
        path: "Examples/NoticeBoard", swiftSettings: settings),
    library("GatehouseOAuth", ["GatehouseCore", "GatehouseCrypto", "GatehouseJOSE", "GatehouseKeys", "GatehouseStore"]),
    // Delegated administration: every admin action is authorised against the actor's grants,
    // applied, and audited in one transaction. The admin API, SCIM and the console call it.
    library("GatehouseAdmin", [
        "GatehouseCore", "GatehouseCrypto", "GatehouseJOSE", "GatehouseStore", "GatehouseOAuth", "GatehouseSCIM", "GatehousePasswords",
        "GatehousePolicy",
    ]),
    library("GatehouseServer", [
        "GatehouseCore", "GatehouseCrypto", "GatehouseJOSE", "GatehouseKeys", "GatehouseOAuth", "GatehousePasswords",
        "GatehousePolicy", "GatehouseStore", "GatehouseMFA", "GatehouseLDAP", "GatehouseAdmin", "GatehouseSCIM", hummingbird, logging,
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "HummingbirdHTTP2", package: "hummingbird"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
    ]),
    .executableTarget(
        name: "gatehouse",
        dependencies: [
            "GatehouseServer", "GatehouseStoreSQL", "GatehouseStoreSQLite", "GatehouseStorePostgres", "GatehouseKeys",
            "GatehouseJOSE", "GatehouseOAuth", "GatehouseCrypto", "GatehousePolicy", "GatehousePasswords", "GatehouseCore", "GatehouseStore",
            "GatehouseMFA", "GatehouseLDAP", "GatehouseAdmin", logging,
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        swiftSettings: settings
    ),
    .executableTarget(
        name: "gatehouse-bench",
        dependencies: [
            "COpenSSL", "CArgon2", "GatehouseCore", "GatehouseCrypto", "GatehouseJOSE", "GatehousePasswords", "GatehousePolicy",
            "GatehouseStore", "GatehouseStoreSQL", "GatehouseStoreSQLite", "GatehouseStorePostgres", "GatehouseMiddleware",
        ],
        swiftSettings: settings
    ),

    tests("GatehouseCoreTests", ["GatehouseCore"]),
    tests("GatehouseJOSETests", ["GatehouseJOSE", "GatehouseCrypto", "COpenSSL"], resources: [.copy("Vectors")]),
    tests("GatehouseKeysTests", ["GatehouseKeys", "GatehouseJOSE"]),
    tests("GatehousePasswordsTests", ["GatehousePasswords"], resources: [.copy("Vectors")]),
    tests("GatehousePolicyTests", ["GatehousePolicy", "GatehouseCore"]),
    tests("GatehouseStoreTests", [
        "GatehouseStore", "GatehouseStoreSQL", "GatehouseStoreSQLite", "GatehouseStorePostgres", "GatehouseCore",
    ]),
    tests("GatehouseServerTests", [
        "GatehouseServer", "GatehouseCore", "GatehouseCrypto", "GatehouseJOSE", "GatehouseKeys", "GatehouseOAuth",
        "GatehousePasswords", "GatehousePolicy", "GatehouseStore", "GatehouseStoreSQL", "GatehouseStoreSQLite", "GatehouseMFA", "GatehouseLDAP",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
    ]),
    tests("GatehouseLDAPTests", [
        "GatehouseLDAP", "GatehouseCore", "GatehouseStore", "GatehouseStoreSQL", "GatehouseStoreSQLite", "GatehouseStorePostgres",
        "GatehouseOAuth", "GatehouseKeys", "GatehouseJOSE", "GatehouseCrypto",
    ], resources: [.copy("Fixtures")]),
    tests("GatehouseSCIMTests", ["GatehouseSCIM", "GatehouseCore"]),
    tests("GatehouseAdminTests", [
        "GatehouseAdmin", "GatehouseCore", "GatehouseStore", "GatehouseStoreSQL", "GatehouseStoreSQLite", "GatehouseStorePostgres",
        "GatehouseOAuth", "GatehousePasswords", "GatehouseSCIM", "GatehouseKeys", "GatehouseCrypto",
    ]),
    tests("GatehouseMFATests", ["GatehouseMFA", "GatehouseCrypto"]),
    tests("GatehouseMiddlewareTests", [
        "GatehouseMiddleware", "GatehouseJOSE", "GatehouseCrypto",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
    ]),
    tests("GatehouseOAuthTests", [
        "GatehouseOAuth", "GatehouseCore", "GatehouseCrypto", "GatehouseJOSE", "GatehouseKeys", "GatehouseStore",
        "GatehouseStoreSQL", "GatehouseStoreSQLite",
    ]),
    // Drives the built `gatehouse` binary as a user would (path in GATEHOUSE_BIN, set by `make test`).
    tests("GatehouseCLITests", []),
]

var productTargets: [(name: String, executable: Bool, targets: [String])] = [
    ("gatehouse", true, ["gatehouse"]),
    ("gatehouse-example", true, ["gatehouse-example"]),
    ("GatehouseJOSE", false, ["GatehouseJOSE"]),
    ("GatehouseMiddleware", false, ["GatehouseMiddleware"]),
]

// Development aid: GATEHOUSE_TARGETS="GatehouseJOSE GatehouseJOSETests ..." builds only the
// named targets (plus the C bridges), so one module's tests can run while another is mid-change.
if let only = ProcessInfo.processInfo.environment["GATEHOUSE_TARGETS"], !only.isEmpty {
    let keep = Set(only.split(separator: " ").map(String.init))
    targets = targets.filter { keep.contains($0.name) || $0.type == .system }
    productTargets = productTargets.filter { $0.targets.allSatisfy(keep.contains) }
}
let products: [Product] = productTargets.map {
    $0.executable ? .executable(name: $0.name, targets: $0.targets) : .library(name: $0.name, targets: $0.targets)
}

let package = Package(
    name: "gatehouse",
    platforms: [.macOS(.v15)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: targets
)
