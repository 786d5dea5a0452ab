import Foundation
@testable import GatehouseKeys

/// A fresh temporary key folder per test, removed afterwards.
struct KeyFolder {
    let path: String

    static func with<R>(_ body: (KeyFolder) throws -> R) throws -> R {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gh-keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(KeyFolder(path: path))
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
    func mode(_ name: String) throws -> Int { (try FileManager.default.attributesOfItem(atPath: file(name))[.posixPermissions] as! NSNumber).intValue }
    func write(_ text: String, to name: String, mode: Int = 0o600) throws {
        guard FileManager.default.createFile(atPath: file(name), contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }
    func read(_ name: String) throws -> String { try String(contentsOfFile: file(name), encoding: .utf8) }
    func chmod(_ name: String, _ mode: Int) throws { try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file(name)) }
}

/// Times tests move through by hand; nothing reads the wall clock.
enum T {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 24 * 3600
}
