import Foundation

/// Why a new password is refused. Each case carries what a form needs to explain it; none
/// carries the password.
public enum PasswordProblem: Hashable, Sendable, CustomStringConvertible {
    case tooShort(minimum: Int)
    case tooLong(maximum: Int)
    case common
    case containsUsername
    case containsDisplayName

    public var description: String {
        switch self {
        case .tooShort(let n): "must be at least \(n) characters"
        case .tooLong(let n): "must be at most \(n) characters"
        case .common: "is too common; choose another"
        case .containsUsername: "must not contain the username"
        case .containsDisplayName: "must not contain your name"
        }
    }
}

extension PasswordPolicy {
    /// The rules `password` breaks as a new password (NIST SP 800-63B §5.1.1.2). Length counts
    /// Unicode scalars after NFC, so "ẩ" is one character however it was typed.
    ///
    /// ```swift
    /// policy.problems(with: "nguyenvana2025", username: "nguyenvana", displayName: "Nguyễn Văn A",
    ///                 commonPasswords: list)   // [.containsUsername]
    /// ```
    public func problems(with password: String, username: String?, displayName: String?, commonPasswords: Set<String> = []) -> [PasswordProblem] {
        let nfc = password.precomposedStringWithCanonicalMapping
        let length = nfc.unicodeScalars.count
        var found: [PasswordProblem] = []
        if length < minLength { found.append(.tooShort(minimum: minLength)) }
        if length > maxLength { found.append(.tooLong(maximum: maxLength)) }
        let folded = Self.fold(nfc)
        if commonPasswords.contains(folded) { found.append(.common) }
        if checkUsername, let username, username.count >= 3, folded.contains(Self.fold(username)) {
            found.append(.containsUsername)
        }
        if checkDisplayName, let displayName {
            let words = displayName.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { Self.fold(String($0)) }
            if words.contains(where: { $0.count >= 4 && folded.contains($0) }) { found.append(.containsDisplayName) }
        }
        return found
    }

    /// Reads the blocklist named by ``commonPasswordsPath``: one password per line, blank lines
    /// and `#` comments ignored, compared case- and diacritic-insensitively.
    public func loadCommonPasswords() throws -> Set<String> {
        guard let path = commonPasswordsPath else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Set(text.split(whereSeparator: \.isNewline).compactMap { line in
            let entry = line.trimmingCharacters(in: .whitespaces)
            return entry.isEmpty || entry.hasPrefix("#") ? nil : Self.fold(entry)
        })
    }

    /// Case- and diacritic-insensitive form ("Mật Khẩu" → "mat khau"; đ → d).
    static func fold(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .replacingOccurrences(of: "đ", with: "d")
    }
}
