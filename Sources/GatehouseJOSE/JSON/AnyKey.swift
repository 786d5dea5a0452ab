/// A coding key for any member name: JSON objects whose members are not known in advance
/// (JWK private members, JWT claims).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
