/// The `startIndex` and `count` query parameters (RFC 7644 §3.4.2.4), made safe to use:
/// `startIndex` is 1-based and a value below 1 counts as 1; a negative `count` counts as 0
/// (only `totalResults` is returned) and no count exceeds ``maxCount``.
///
/// ```swift
/// let page = try SCIMPagination.parse(startIndex: query["startIndex"], count: query["count"])
/// let response = page.listResponse(of: matching)   // totalResults, startIndex, itemsPerPage, Resources
/// ```
public struct SCIMPagination: Hashable, Sendable {
    /// The 1-based index of the first result returned; at least 1.
    public let startIndex: Int
    /// How many results at most; between 0 and ``maxCount``.
    public let count: Int
    /// The cap on ``count``.
    public let maxCount: Int

    /// Clamps the parameters; `count` defaults to `defaultCount`, itself capped by `maxCount`.
    public init(startIndex: Int? = nil, count: Int? = nil, defaultCount: Int = 100, maxCount: Int = 1000) {
        self.maxCount = max(0, maxCount)
        self.startIndex = max(1, startIndex ?? 1)
        self.count = min(max(0, count ?? defaultCount), self.maxCount)
    }

    /// Reads the query parameters as sent; a value that is not an integer is 400
    /// `invalidValue`, one too large for `Int` counts as the largest.
    public static func parse(startIndex: String?, count: String?, defaultCount: Int = 100,
                             maxCount: Int = 1000) throws(SCIMError) -> SCIMPagination {
        SCIMPagination(startIndex: try integer(startIndex, "startIndex"), count: try integer(count, "count"),
                       defaultCount: defaultCount, maxCount: maxCount)
    }

    private static func integer(_ text: String?, _ name: String) throws(SCIMError) -> Int? {
        guard let text else { return nil }
        let trimmed = text.trimmingSpaces
        if let value = Int(trimmed) { return value }
        let digits = trimmed.hasPrefix("-") || trimmed.hasPrefix("+") ? trimmed.dropFirst() : Substring(trimmed)
        guard !digits.isEmpty, digits.utf8.allSatisfy(AttributePathSyntax.isDigit) else {
            throw .invalidValue("\(name) must be an integer, not \"\(FilterToken.clipped(text))\"")
        }
        return trimmed.hasPrefix("-") ? Int.min : Int.max
    }

    /// The 0-based offset of the first result, for a store's `OFFSET`.
    public var offset: Int { startIndex - 1 }

    /// The 0-based positions of this page among `total` results.
    public func range(total: Int) -> Range<Int> {
        let total = max(0, total)
        let lower = min(offset, total)
        return lower..<(lower + min(count, total - lower))
    }

    /// This page of `results`.
    public func page<T>(of results: [T]) -> ArraySlice<T> { results[range(total: results.count)] }

    /// A List Response for this page of all the `results`.
    public func listResponse(of results: [SCIMValue]) -> SCIMListResponse {
        SCIMListResponse(totalResults: results.count, startIndex: startIndex, resources: Array(page(of: results)))
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return Substring()
        }
        return self[first...last]
    }
}
