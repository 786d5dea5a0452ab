/// An `xsd:dateTime` (RFC 7643 §2.3.5), e.g. `2011-05-13T04:42:34Z`, reduced to an instant so
/// that filters compare such strings chronologically (RFC 7644 §3.4.2.2, `gt`).
///
/// Accepted: `YYYY-MM-DDThh:mm:ss`, an optional fraction, and `Z` or `±hh:mm`; without a
/// zone the time is taken as UTC. Fractions finer than nanoseconds are cut.
struct SCIMDateTime: Comparable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    let seconds: Int64
    let nanoseconds: Int

    init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let year = Self.digits(b, 0, 4), let month = Self.digits(b, 5, 2), let day = Self.digits(b, 8, 2),
            let hour = Self.digits(b, 11, 2), let minute = Self.digits(b, 14, 2), let second = Self.digits(b, 17, 2),
            (1...9999).contains(year), (1...12).contains(month), (1...Self.daysIn(month, of: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var nanos = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let from = i
            while i < b.count, AttributePathSyntax.isDigit(b[i]) {
                if i - from < 9 { nanos = nanos * 10 + Int(b[i] - UInt8(ascii: "0")) }
                i += 1
            }
            guard i > from else { return nil }
            for _ in 0..<max(0, 9 - (i - from)) { nanos *= 10 }
        }
        var offset = 0
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") {
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                guard b.count == i + 6, b[i + 3] == UInt8(ascii: ":"), let oh = Self.digits(b, i + 1, 2),
                    let om = Self.digits(b, i + 4, 2), oh <= 14, om < 60
                else { return nil }
                offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
                i += 6
            }
        }
        guard i == b.count else { return nil }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        nanoseconds = nanos
    }

    static func < (a: SCIMDateTime, b: SCIMDateTime) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    private static func digits(_ b: [UInt8], _ at: Int, _ count: Int) -> Int? {
        var v = 0
        for i in at..<at + count {
            guard AttributePathSyntax.isDigit(b[i]) else { return nil }
            v = v * 10 + Int(b[i] - UInt8(ascii: "0"))
        }
        return v
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar.
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
