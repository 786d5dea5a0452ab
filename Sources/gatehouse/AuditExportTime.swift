import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 times as the audit export reads and writes them.
enum AuditTime {
    /// `2026-05-01T08:30:00.123Z`: UTC, milliseconds.
    static func rfc3339(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = millis.quotientAndRemainder(dividingBy: 1000)
        var whole = time_t(fraction < 0 ? seconds - 1 : seconds)
        var parts = tm()
        gmtime_r(&whole, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(fraction < 0 ? fraction + 1000 : fraction))
    }

    /// An RFC 3339 date-time (`2026-05-01T08:30:00Z`, `2026-05-01T15:30:00.5+07:00`) or a date
    /// (`2026-05-01`, midnight UTC); `nil` for anything else.
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if text.utf8.count == 10 {
            formatter.formatOptions = [.withFullDate]
            guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
            return date
        }
        guard text.contains("T") || text.contains("t") else { return nil }
        let upper = text.uppercased()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: upper) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: upper)
    }
}
