import GatehouseSCIM

/// Shorthands for building expected filter trees.
enum Tree {
    static func path(_ name: String, _ sub: String? = nil, schema: String? = nil) -> SCIMAttributePath {
        SCIMAttributePath(schema: schema, name: name, subAttribute: sub)
    }

    static func cmp(_ name: String, _ op: SCIMComparisonOperator, _ value: SCIMValue) -> SCIMFilter {
        let parts = name.split(separator: ".").map(String.init)
        return .comparison(path(parts[0], parts.count > 1 ? parts[1] : nil), op, value)
    }

    static func pr(_ name: String) -> SCIMFilter {
        let parts = name.split(separator: ".").map(String.init)
        return .present(path(parts[0], parts.count > 1 ? parts[1] : nil))
    }
}

/// The error `body` throws, or `nil` when it succeeds.
func scimError<T>(_ body: () throws(SCIMError) -> T) -> SCIMError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// A seeded generator (SplitMix64), so random tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
