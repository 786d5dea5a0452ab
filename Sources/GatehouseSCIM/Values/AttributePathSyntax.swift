/// The lexical rules of `attrPath` (RFC 7644 §3.10, Figure 1; RFC 7643 §2.1):
///
///     attrPath  = [URI ":"] ATTRNAME *1subAttr
///     ATTRNAME  = ALPHA *(nameChar)
///     nameChar  = "-" / "_" / DIGIT / ALPHA
///     subAttr   = "." ATTRNAME
///
/// `$ref` (RFC 7643 §2.4) is accepted as a name too. A URI must be a `urn:` whose parts are
/// letters, digits, `.`, `-`, `_` and `:`.
enum AttributePathSyntax {
    /// What is wrong with `text` as an attribute path, in words; `nil` when it is fine.
    static func problem(in text: String) -> String? {
        let (schema, rest) = splitSchema(text)
        if let schema {
            guard schema.lowercased().hasPrefix("urn:"), schema.utf8.count > 4,
                schema.utf8.allSatisfy({ isNameByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") })
            else { return "a schema prefix must be a URN such as urn:ietf:params:scim:schemas:core:2.0:User" }
            guard !rest.isEmpty else { return "the schema URN must be followed by \":\" and an attribute name" }
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        for part in parts where !isAttributeName(part) {
            return "an attribute name starts with a letter and holds only letters, digits, \"-\" and \"_\""
        }
        guard parts.count <= 2 else { return "an attribute path has at most one sub-attribute (name.familyName)" }
        return nil
    }

    /// Splits at the last colon: (`urn:…:User`, `userName`), or (`nil`, `text`) without one.
    static func splitSchema(_ text: String) -> (schema: String?, rest: String) {
        guard let colon = text.lastIndex(of: ":") else { return (nil, text) }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// `ATTRNAME`, or `$ref`.
    static func isAttributeName(_ name: Substring) -> Bool {
        if name.lowercased() == "$ref" { return true }
        guard let first = name.utf8.first, isAlpha(first) else { return false }
        return name.utf8.allSatisfy(isNameByte)
    }

    static func isAlpha(_ b: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
    }

    static func isDigit(_ b: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }

    /// `nameChar`.
    static func isNameByte(_ b: UInt8) -> Bool {
        isAlpha(b) || isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }
}
