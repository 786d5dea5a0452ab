import Foundation
import GatehouseCore

/// The real 34 provinces (Tests/Fixtures/provinces.csv) and ~3,300 generated communes with
/// Vietnamese names, so subtree rules are tested on a tree of the real shape.
enum SampleTree {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// (slug, name) of each province, in file order.
    static func provinces() throws -> [(slug: String, name: String)] {
        let text = try String(contentsOf: fixtures.appendingPathComponent("provinces.csv"), encoding: .utf8)
        return try CSV.parse(text).dropFirst().map { ($0.fields[0], $0.fields[1]) }
    }

    static let communeKinds = ["Xã", "Phường", "Đặc khu"]
    static let communeStems = ["Tân Phước", "Bến Thành", "Ba Đình", "Hòa Bình", "Phú Quốc", "Đồng Xoài", "Long Hưng", "Nghĩa Đô"]

    /// Every unit path in the tree: root, 34 provinces, `perProvince` communes each.
    static func paths(perProvince: Int = 98) throws -> [UnitPath] {
        var out: [UnitPath] = [.root]
        for p in try provinces() {
            let province = try UnitPath("/\(p.slug)")
            out.append(province)
            for i in 1...perProvince { out.append(try province.appending("xa-\(i)")) }
        }
        return out
    }

    /// A Vietnamese commune name, e.g. "Phường Bến Thành 3".
    static func communeName(_ i: Int) -> String {
        "\(communeKinds[i % communeKinds.count]) \(communeStems[i % communeStems.count]) \(i)"
    }
}
