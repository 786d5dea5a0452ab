import Foundation
import GatehouseCrypto
@testable import GatehouseJOSE

/// Loads `Vectors/<name>` from the test bundle.
enum Vectors {
    static func data(_ name: String) throws -> Data {
        guard let directory = Bundle.module.url(forResource: "Vectors", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: directory.appendingPathComponent(name))
    }

    static func object(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data(name)) as! [String: Any]
    }

    /// The member `key` of a vector file, re-serialized as JSON.
    static func json(_ name: String, _ key: String) throws -> Data {
        try JSONSerialization.data(withJSONObject: object(name)[key]!)
    }

    static func string(_ name: String, _ key: String) throws -> String {
        try object(name)[key] as! String
    }
}

/// Builds compact tokens with arbitrary (possibly hostile) header and payload text.
enum Forge {
    static func b64(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }

    /// `b64(header).b64(payload).b64(signature by key)`, whatever the header claims.
    static func token(header: String, payload: String, key: SigningKey) throws -> String {
        let input = b64(header) + "." + b64(payload)
        return input + "." + Base64URL.encode(try key.sign(Array(input.utf8)))
    }

    /// Replaces the signature segment.
    static func replacingSignature(of token: String, with bytes: [UInt8]) -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return parts[0] + "." + parts[1] + "." + Base64URL.encode(bytes)
    }

    static func signature(of token: String) -> [UInt8] {
        Base64URL.decode(token.split(separator: ".", omittingEmptySubsequences: false)[2])!
    }
}

/// Fixed instants: tests never read the wall clock.
enum Instants {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
}

/// Keys are slow to generate (RSA especially); share one of each across tests.
enum SharedKeys {
    static let es256 = try! SigningKey.generate(.es256)
    static let edDSA = try! SigningKey.generate(.edDSA)
    static let rs256 = try! SigningKey.generate(.rs256)
    static let otherES256 = try! SigningKey.generate(.es256)
}
