import Foundation
import Testing
@testable import GatehouseMFA
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("QR SVG rendering")
struct SVGTests {
    /// Collects elements and attributes; parsing fails on anything that is not well-formed XML.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes))
        }
    }

    private func parse(_ svg: String) throws -> [(name: String, attributes: [String: String])] {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        return collector.elements
    }

    @Test("valid XML: one white rect, one path, crisp edges, sized by module")
    func document() throws {
        let q = try QRCode(text: "Gatehouse")
        let svg = q.svg(moduleSize: 5)
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        let elements = try parse(svg)
        #expect(elements.map(\.name) == ["svg", "rect", "path"])
        let root = elements[0].attributes
        #expect(root["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root["shape-rendering"] == "crispEdges")
        #expect(root["viewBox"] == "0 0 29 29")
        #expect(root["width"] == "145" && root["height"] == "145")
        #expect(elements[1].attributes["fill"] == "#FFFFFF")
        #expect(elements[2].attributes["fill"] == "#000000")
    }

    @Test("no script, event handler, link or foreign content, whatever the text")
    func inert() throws {
        let q = try QRCode(text: "<script>alert(1)</script>\" onload=\"x")
        let svg = q.svg()
        #expect(!svg.contains("script") && !svg.contains("onload") && !svg.contains("href"))
        for element in try parse(svg) {
            #expect(["svg", "rect", "path"].contains(element.name))
            #expect(!element.attributes.keys.contains { $0.lowercased().hasPrefix("on") })
        }
    }

    @Test("the path covers exactly the dark modules, offset by the quiet zone")
    func pathMatchesModules() throws {
        for text in ["Gatehouse", "otpauth://totp/Hu%E1%BA%BF:hoa?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Hu%E1%BA%BF"] {
            let q = try QRCode(text: text)
            let d = try #require(try parse(q.svg()).first { $0.name == "path" }?.attributes["d"])
            var painted = Set<Int>()
            let side = q.size + 8
            for run in d.split(separator: "z") {
                // M x,y h n v1 h-n
                let numbers = run.split { !"0123456789-".contains($0) }.compactMap { Int($0) }
                try #require(numbers.count == 5 && numbers[3] == 1 && numbers[4] == -numbers[2])
                for x in numbers[0]..<(numbers[0] + numbers[2]) {
                    #expect(painted.insert(numbers[1] * side + x).inserted, "module painted twice")
                }
            }
            var expected = Set<Int>()
            for y in 0..<side { for x in 0..<side where q.isDark(x: x - 4, y: y - 4) { expected.insert(y * side + x) } }
            #expect(painted == expected)
        }
    }
}
