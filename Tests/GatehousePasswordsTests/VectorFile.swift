import Foundation
import GatehousePasswords
import Testing

/// One JSON file from `Vectors/` (see `Vectors/README.md`).
struct VectorFile: Decodable {
    struct Vector: Decodable {
        var password: String
        var hash: String
        var source: String
    }

    var scheme: String
    var vectors: [Vector]
    var malformed: [String]

    static func load(_ name: String) throws -> VectorFile {
        try JSONDecoder().decode(VectorFile.self, from: data(name))
    }

    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors"))
        return try Data(contentsOf: url)
    }
}

extension Array where Element == UInt8 {
    init(hex: String) {
        let chars = Array(hex.utf8)
        self = stride(from: 0, to: chars.count, by: 2).map { UInt8(String(decoding: chars[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }
}

/// Small parameters so that tests stay fast; the defaults are measured by the benchmark.
let fastParameters = Argon2Parameters(memoryKiB: 256, iterations: 1, parallelism: 1)

