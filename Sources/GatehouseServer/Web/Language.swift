import Foundation

/// The languages of the web pages: Vietnamese (the default) and English.
///
/// The choice, first match wins: an explicit `lang` parameter (the page's language switch),
/// then the authorization request's `ui_locales` (OIDC Core §3.1.2.1, in preference order), then
/// `Accept-Language` (RFC 9110 §12.5.4, by weight), then Vietnamese.
///
/// ```swift
/// Language.choose(explicit: nil, uiLocales: ["en-GB", "vi"], acceptLanguage: "vi;q=0.9")   // .en
/// ```
enum Language: String, Sendable, CaseIterable, Codable {
    case vi, en

    static func choose(explicit: String?, uiLocales: [String], acceptLanguage: String?) -> Language {
        if let explicit, let language = Language(tag: explicit) { return language }
        for tag in uiLocales { if let language = Language(tag: tag) { return language } }
        if let acceptLanguage {
            for tag in weightedTags(acceptLanguage) { if let language = Language(tag: tag) { return language } }
        }
        return .vi
    }

    /// The language of a BCP 47 tag by its primary subtag (`vi-VN` → `.vi`), if supported.
    init?(tag: String) {
        let primary = tag.split(separator: "-", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        self.init(rawValue: primary.trimmingCharacters(in: .whitespaces))
    }

    /// The other language, for the switch link.
    var other: Language { self == .vi ? .en : .vi }

    /// The language's own name, for the switch link.
    var ownName: String { self == .vi ? "Tiếng Việt" : "English" }

    /// The tags of an `Accept-Language` value, heaviest first (a stable sort keeps the order
    /// of equal weights); `q=0` excluded.
    static func weightedTags(_ header: String) -> [String] {
        var items: [(tag: String, weight: Double)] = []
        for item in header.split(separator: ",").prefix(32) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first, !tag.isEmpty else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            if weight > 0 { items.append((tag, weight)) }
        }
        return items.enumerated().sorted { a, b in
            a.element.weight != b.element.weight ? a.element.weight > b.element.weight : a.offset < b.offset
        }.map(\.element.tag)
    }
}
