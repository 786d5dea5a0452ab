import GatehouseSCIM
import Testing

/// `startIndex` and `count` (RFC 7644 §3.4.2.4).
@Suite struct PaginationTests {
    let ten = Array(1...10)

    @Test func defaults() {
        let page = SCIMPagination()
        #expect(page.startIndex == 1)
        #expect(page.count == 100)
        #expect(page.offset == 0)
        #expect(SCIMPagination(defaultCount: 5000, maxCount: 200).count == 200)
    }

    @Test func startIndexBelowOneIsOne() {
        #expect(SCIMPagination(startIndex: 0).startIndex == 1)
        #expect(SCIMPagination(startIndex: -7).startIndex == 1)
        #expect(SCIMPagination(startIndex: Int.min).startIndex == 1)
    }

    @Test func negativeCountIsZeroAndLargeCountIsCapped() {
        #expect(SCIMPagination(count: -1).count == 0)
        #expect(SCIMPagination(count: 5000).count == 1000)
        #expect(SCIMPagination(count: 5000, maxCount: 50).count == 50)
        #expect(SCIMPagination(count: Int.max).count == 1000)
    }

    @Test func pages() {
        #expect(SCIMPagination(startIndex: 1, count: 3).page(of: ten) == [1, 2, 3])
        #expect(SCIMPagination(startIndex: 9, count: 5).page(of: ten) == [9, 10])
        #expect(SCIMPagination(startIndex: 10, count: 1).page(of: ten) == [10])
        #expect(SCIMPagination(startIndex: 11, count: 5).page(of: ten).isEmpty)
        #expect(SCIMPagination(startIndex: Int.max, count: 1000).page(of: ten).isEmpty)
        #expect(SCIMPagination(startIndex: 3, count: 0).page(of: ten).isEmpty)
        #expect(SCIMPagination(startIndex: 1, count: 5).page(of: [Int]()).isEmpty)
        #expect(SCIMPagination(startIndex: 4, count: 2).range(total: 10) == 3..<5)
    }

    @Test func queryParameters() throws {
        let page = try SCIMPagination.parse(startIndex: "21", count: "10")
        #expect(page.startIndex == 21)
        #expect(page.count == 10)
        #expect(try SCIMPagination.parse(startIndex: nil, count: nil) == SCIMPagination())
        #expect(try SCIMPagination.parse(startIndex: "-3", count: "-3") == SCIMPagination(startIndex: 1, count: 0))
        #expect(try SCIMPagination.parse(startIndex: "99999999999999999999999", count: "1").startIndex == Int.max)
        #expect(try SCIMPagination.parse(startIndex: "1", count: "99999999999999999999999").count == 1000)
        let error = scimError { () throws(SCIMError) in try SCIMPagination.parse(startIndex: "abc", count: nil) }
        #expect(error?.scimType == .invalidValue)
        #expect(error?.detail == #"startIndex must be an integer, not "abc""#)
        #expect(throws: SCIMError(.invalidValue)) { try SCIMPagination.parse(startIndex: nil, count: "1.5") }
        #expect(throws: SCIMError(.invalidValue)) { try SCIMPagination.parse(startIndex: nil, count: "") }
    }

    @Test func countZeroGivesOnlyTheTotal() {
        let response = SCIMPagination(startIndex: 1, count: 0).listResponse(of: SampleUsers.all)
        #expect(response.totalResults == 4)
        #expect(response.itemsPerPage == 0)
        #expect(response.resources.isEmpty)
    }
}
