/// The position of a unit in the tree, written as a slash-separated path of slugs.
///
/// `/` is the central root; provinces are `/ha-noi`; communes `/ha-noi/phuong-ba-dinh`.
/// Slugs are lowercase ASCII letters, digits and hyphens, 1–63 characters, neither
/// starting nor ending with a hyphen. The path doubles as the materialized path used
/// for subtree queries: a unit's subtree is every path equal to it or starting with it
/// followed by `/`.
///
/// ```swift
/// let p = try UnitPath("/ha-noi/phuong-ba-dinh")
/// p.parent            // /ha-noi
/// UnitPath.root.contains(p)  // true
/// ```
public struct UnitPath: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The slugs from the root down; empty for the root.
    public let segments: [String]

    /// The central root, `/`.
    public static let root = UnitPath(validated: [])

    /// Deepest level of the tree: central (0), province (1), commune (2).
    public static let maxDepth = 2

    /// Parses and validates `string`.
    public init(_ string: String) throws(DomainError) {
        guard string.hasPrefix("/") else { throw .invalidUnitPath(string, "must start with /") }
        if string == "/" { self.segments = []; return }
        guard !string.hasSuffix("/") else { throw .invalidUnitPath(string, "must not end with /") }
        let parts = string.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= Self.maxDepth else {
            throw .invalidUnitPath(string, "is deeper than \(Self.maxDepth) levels (central, province, commune)")
        }
        for slug in parts where !Self.isValidSlug(slug) {
            throw .invalidUnitPath(string, "segment '\(slug)' must be 1-63 lowercase letters, digits or hyphens")
        }
        self.segments = parts
    }

    private init(validated segments: [String]) { self.segments = segments }

    /// True for a well-formed slug.
    public static func isValidSlug(_ slug: String) -> Bool {
        let bytes = Array(slug.utf8)
        guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { b in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "-")
        }
    }

    /// Number of segments: 0 for the root.
    public var depth: Int { segments.count }
    /// The level that this depth stands for.
    public var level: UnitLevel { UnitLevel(depth: depth)! }
    /// True for `/`.
    public var isRoot: Bool { segments.isEmpty }
    /// The last slug; `nil` for the root.
    public var slug: String? { segments.last }
    /// The parent path; `nil` for the root.
    public var parent: UnitPath? { isRoot ? nil : UnitPath(validated: Array(segments.dropLast())) }

    /// The child path `self/slug`.
    public func appending(_ slug: String) throws(DomainError) -> UnitPath {
        try UnitPath(isRoot ? "/\(slug)" : "\(description)/\(slug)")
    }

    /// True when `other` lies in this path's subtree (itself included).
    public func contains(_ other: UnitPath) -> Bool {
        other.segments.count >= segments.count && other.segments.starts(with: segments)
    }

    /// Every path from the root down to this one, root first.
    public var lineage: [UnitPath] {
        (0...segments.count).map { UnitPath(validated: Array(segments.prefix($0))) }
    }

    /// Replaces the prefix `old` with `new`, as a subtree move does.
    /// Returns `nil` when this path is not in `old`'s subtree.
    public func rebased(from old: UnitPath, to new: UnitPath) -> UnitPath? {
        guard old.contains(self) else { return nil }
        return UnitPath(validated: new.segments + segments.dropFirst(old.segments.count))
    }

    public var description: String { "/" + segments.joined(separator: "/") }

    /// Lexicographic by segment, so a parent sorts before its children.
    public static func < (a: UnitPath, b: UnitPath) -> Bool { a.segments.lexicographicallyPrecedes(b.segments) }

    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(s) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The three levels of the unit tree.
public enum UnitLevel: String, Sendable, CaseIterable, Codable, Comparable {
    case central, province, commune

    /// The level of a path of `depth` segments.
    public init?(depth: Int) {
        switch depth {
        case 0: self = .central
        case 1: self = .province
        case 2: self = .commune
        default: return nil
        }
    }

    /// 0 for central, 1 for province, 2 for commune.
    public var depth: Int {
        switch self {
        case .central: 0
        case .province: 1
        case .commune: 2
        }
    }

    public static func < (a: UnitLevel, b: UnitLevel) -> Bool { a.depth < b.depth }
}
