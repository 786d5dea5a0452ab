/// Bounds on a filter or path, so that a hostile one costs little to reject (RFC 7644 §7.6
/// asks servers to guard against expensive requests).
///
/// ```swift
/// try SCIMFilter.parse(text, limits: SCIMFilterLimits(maxLength: 1024))
/// ```
public struct SCIMFilterLimits: Hashable, Sendable {
    /// Longest accepted text, in UTF-8 bytes.
    public var maxLength: Int
    /// Deepest nesting of `( )`, `not ( )` and `[ ]`.
    public var maxDepth: Int
    /// Most attribute expressions (comparisons and `pr`) in one filter. It also bounds the
    /// depth of an `and`/`or` chain, which evaluation walks recursively.
    public var maxComparisons: Int

    /// Creates limits.
    public init(maxLength: Int = 4096, maxDepth: Int = 32, maxComparisons: Int = 100) {
        self.maxLength = maxLength
        self.maxDepth = maxDepth
        self.maxComparisons = maxComparisons
    }

    /// 4096 bytes, 32 levels, 100 comparisons.
    public static let `default` = SCIMFilterLimits()
}
