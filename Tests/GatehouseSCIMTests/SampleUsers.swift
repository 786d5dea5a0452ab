import GatehouseSCIM

/// Four officials as SCIM User resources (RFC 7643 §4.1, §4.3 and the Gatehouse extension),
/// with Vietnamese names in NFC.
enum SampleUsers {
    static let enterprise = SCIMSchema.enterpriseUser
    static let gatehouse = SCIMSchema.gatehouseUser

    static let an: SCIMValue = [
        "schemas": [.string(SCIMSchema.coreUser), .string(enterprise), .string(gatehouse)],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "HN-001",
        "userName": "nguyen.van.an",
        "displayName": "Nguyễn Văn An",
        "name": ["familyName": "Nguyễn", "givenName": "An"],
        "title": "Chuyên viên",
        "active": true,
        "loginCount": 12,
        "emails": [
            ["value": "an.nguyen@hanoi.gov.vn", "type": "work", "primary": true],
            ["value": "an.nguyen@gmail.com", "type": "home"],
        ],
        "meta": ["created": "2024-01-10T08:00:00Z", "lastModified": "2024-03-01T09:30:00+07:00"],
        enterprise: ["department": "Văn phòng", "organization": "UBND Thành phố Hà Nội"],
        gatehouse: ["unit": "/ha-noi/phuong-ba-dinh"],
    ]

    static let binh: SCIMValue = [
        "schemas": [.string(SCIMSchema.coreUser), .string(enterprise)],
        "id": "902c246b-6245-4190-8e05-00816be7344a",
        "userName": "tran.thi.binh",
        "displayName": "Trần Thị Bình",
        "name": ["familyName": "Trần", "givenName": "Bình"],
        "active": false,
        "loginCount": 3,
        "emails": [["value": "binh.tran@hue.gov.vn", "type": "work"]],
        "meta": ["created": "2023-06-01T00:00:00Z", "lastModified": "2024-02-15T12:00:00Z"],
        enterprise: ["department": "Tài chính"],
    ]

    static let cuong: SCIMValue = [
        "schemas": [.string(SCIMSchema.coreUser), .string(gatehouse)],
        "id": "a1b2c3d4-0000-4000-8000-000000000003",
        "externalId": "hn-003",
        "userName": "le.van.cuong",
        "displayName": "Lê Văn Cường",
        "title": "",
        "active": true,
        "meta": ["created": "2023-12-31T23:59:59Z", "lastModified": "2023-12-31T23:59:59Z"],
        gatehouse: ["unit": "/ha-noi"],
    ]

    static let dung: SCIMValue = [
        "schemas": [.string(SCIMSchema.coreUser)],
        "id": "a1b2c3d4-0000-4000-8000-000000000004",
        "userName": "pham.ngoc.dung",
        "displayName": "Phạm Ngọc Dũng",
        "name": ["familyName": "Phạm", "givenName": "Dũng"],
        "active": true,
        "emails": [["value": "dung.pham@hue.gov.vn", "type": "work", "primary": true]],
        "meta": ["created": "2022-01-01T00:00:00Z", "lastModified": "2024-01-01T00:00:00.5Z"],
    ]

    static let all = [an, binh, cuong, dung]

    /// The userNames of `resources`, for short assertions.
    static func names(_ resources: [SCIMValue]) -> [String] {
        resources.compactMap { if case .string(let s)? = $0.member("userName") { s } else { nil } }
    }
}
