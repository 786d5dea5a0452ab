/// A unit of the administrative tree, written as its path from the root: `/` is the root,
/// `/ha-noi` a province, `/ha-noi/phuong-ba-dinh` a ward in it.
///
/// Containment is by whole segments: `/ha-noi` contains `/ha-noi/phuong-ba-dinh` but not
/// `/ha-noi-2`. Only well-formed paths exist: a leading `/`, no empty, `.` or `..` segment,
/// no trailing `/`, no whitespace, control character or `@`.
///
/// ```swift
/// let hanoi: UnitPath = "/ha-noi"
/// hanoi.contains("/ha-noi/phuong-ba-dinh")   // true
/// hanoi.contains("/ha-noi-2")                // false
/// UnitPath(someString)                      // nil when malformed
/// ```
///
/// `UnitPath("/ha-noi")` written with a string literal is a literal conversion (SE-0213), not a
/// call of ``init(_:)``: it is not optional, and a malformed literal traps. Parse text that
/// comes from outside with ``init(_:)`` on a `String` value.
public struct UnitPath: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The path as written, e.g. `/ha-noi/phuong-ba-dinh`.
    public let rawValue: String

    /// The root, `/`, which contains every unit.
    public static let root = UnitPath(validated: "/")

    /// Parses a path; `nil` when it is malformed.
    public init?(_ string: String) {
        guard UnitPath.isWellFormed(string) else { return nil }
        rawValue = string
    }

    /// A path known to be well formed. A malformed literal is a programming error and traps.
    public init(stringLiteral value: String) {
        guard let path = UnitPath(value) else { preconditionFailure("malformed unit path literal \(value)") }
        self = path
    }

    private init(validated: String) { rawValue = validated }

    /// The path's segments; empty for the root.
    public var segments: [Substring] { rawValue.split(separator: "/") }

    /// True for `/`.
    public var isRoot: Bool { rawValue.utf8.count == 1 }

    /// The unit directly above; `nil` for the root.
    public var parent: UnitPath? {
        guard !isRoot, let slash = rawValue.utf8.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        return slash == rawValue.utf8.startIndex ? .root : UnitPath(validated: String(rawValue[..<slash]))
    }

    /// True when `other` is this unit or lies below it, segment by segment.
    public func contains(_ other: UnitPath) -> Bool {
        if isRoot { return true }
        let mine = rawValue.utf8, theirs = other.rawValue.utf8
        guard theirs.count >= mine.count, theirs.starts(with: mine) else { return false }
        if theirs.count == mine.count { return true }
        return theirs[theirs.index(theirs.startIndex, offsetBy: mine.count)] == UInt8(ascii: "/")
    }

    /// The path as written.
    public var description: String { rawValue }

    /// Orders by the written path, so that a unit sorts before those below it.
    public static func < (lhs: UnitPath, rhs: UnitPath) -> Bool { lhs.rawValue < rhs.rawValue }

    /// One pass over the bytes, without allocating: this runs for every role of every token.
    static func isWellFormed(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { bytes in
            guard bytes.first == UInt8(ascii: "/") else { return false }
            if bytes.count == 1 { return true }
            var segmentStart = 1
            for index in 1...bytes.count {
                let atEnd = index == bytes.count
                let byte = atEnd ? UInt8(ascii: "/") : bytes[index]
                if byte == UInt8(ascii: "/") {
                    let length = index - segmentStart
                    if length == 0 { return false }                                  // "//" or a trailing "/"
                    if bytes[segmentStart] == UInt8(ascii: "."), length == 1 || (length == 2 && bytes[segmentStart + 1] == UInt8(ascii: ".")) {
                        return false                                                 // "." or ".."
                    }
                    segmentStart = index + 1
                } else if byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "@") {
                    return false
                }
            }
            return true
        }
    }
}
