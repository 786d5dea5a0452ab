import Foundation
import GatehouseCore

/// One audit event as a line of JSON (RFC 8259), its members in a fixed order:
///
/// ```json
/// {"sequence":7,"time":"2026-05-01T08:30:00.123Z","action":"account.create","actor":"cli","target":"…",
///  "unit":"/hue","client_id":null,"source_ip":null,"result":"success","detail":{"username":"le.thi.hoa"},
///  "previous_hash":"…","hash":"…"}
/// ```
///
/// Everything the chain hash covers is there, with the time to the millisecond as stored, so an
/// inspector can recompute `hash` from `previous_hash` and the other members (the canonical
/// form is `AuditRecord.canonicalBytes(sequence:)`; README "Audit export").
enum AuditExportLine {
    static func json(_ event: AuditEvent) -> String {
        let r = event.record
        var out = "{\"sequence\":\(event.sequence)"
        out += ",\"time\":" + string(AuditTime.rfc3339(r.time))
        out += ",\"action\":" + string(r.action)
        out += ",\"actor\":" + string(r.actor)
        out += ",\"target\":" + optional(r.target)
        out += ",\"unit\":" + optional(r.unit?.description)
        out += ",\"client_id\":" + optional(r.clientID)
        out += ",\"source_ip\":" + optional(r.sourceIP)
        out += ",\"result\":" + string(r.result.rawValue)
        out += ",\"detail\":{" + r.detail.keys.sorted().map { string($0) + ":" + string(r.detail[$0]!) }.joined(separator: ",") + "}"
        out += ",\"previous_hash\":" + string(event.previousHash)
        out += ",\"hash\":" + string(event.hash)
        return out + "}"
    }

    private static func optional(_ s: String?) -> String { s.map(string) ?? "null" }

    /// A JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7), the
    /// rest as UTF-8.
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
