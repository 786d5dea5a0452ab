import Foundation

/// Durations in policy files: a whole number and one unit, `s`, `m`, `h` or `d` (`90s`, `5m`,
/// `8h`, `30d`). One unit keeps them unambiguous (`1m` is never a month).
enum PolicyDuration {
    static func parse(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let n = Int(text.dropLast()), n >= 0, text.first?.isNumber == true else { return nil }
        switch unit {
        case "s": return TimeInterval(n)
        case "m": return TimeInterval(n) * 60
        case "h": return TimeInterval(n) * 3600
        case "d": return TimeInterval(n) * 86400
        default: return nil
        }
    }

    /// The shortest exact spelling: 300 → `5m`.
    static func format(_ seconds: TimeInterval) -> String {
        let s = Int(seconds)
        if s != 0, s % 86400 == 0 { return "\(s / 86400)d" }
        if s != 0, s % 3600 == 0 { return "\(s / 3600)h" }
        if s != 0, s % 60 == 0 { return "\(s / 60)m" }
        return "\(s)s"
    }
}
