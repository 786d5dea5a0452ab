import Foundation
import GatehousePolicy
import Testing

@Suite struct PasswordPolicyTests {
    let policy = PasswordPolicy.defaults

    @Test func lengthCountsCharactersAfterNFC() {
        let nfd = "Mật khẩu mạnh".decomposedStringWithCanonicalMapping   // 13 characters, more scalars in NFD
        #expect(policy.problems(with: nfd, username: nil, displayName: nil) == [])
        #expect(policy.problems(with: "short", username: nil, displayName: nil) == [.tooShort(minimum: 12)])
        #expect(policy.problems(with: String(repeating: "x", count: 129), username: nil, displayName: nil) == [.tooLong(maximum: 128)])
    }

    @Test func personalInformationAndCommonPasswords() {
        let p = policy.problems(with: "NguyenVanAn-2025", username: "nguyenvanan", displayName: "Nguyễn Văn An")
        #expect(p == [.containsUsername, .containsDisplayName])
        #expect(policy.problems(with: "Mật Khẩu 123456", username: nil, displayName: nil, commonPasswords: ["mat khau 123456"]) == [.common])
    }

    @Test func commonPasswordFileIsResolvedAndRead() throws {
        let dir = try TempPolicies(["password.yaml": "common_passwords_file: common.txt\n", "common.txt": "# list\nmatkhau123456\n\nPassword1234\n"])
        defer { dir.cleanup() }
        let set = try PolicySet.load(directory: dir.path)
        #expect(set.password.commonPasswordsFile == "common.txt")
        let list = try set.password.loadCommonPasswords()
        #expect(list == ["matkhau123456", "password1234"])
        #expect(set.password.problems(with: "Mậtkhẩu123456", username: nil, displayName: nil, commonPasswords: list) == [.common])
    }

    @Test func argon2SettingsLoad() throws {
        let set = try PolicySet.parse(["password.yaml": "argon2id:\n  memory_kib: 65536\n  iterations: 3\n  parallelism: 4\n"])
        #expect(set.password.argon2id == .init(memoryKiB: 65536, iterations: 3, parallelism: 4))
        #expect(set.password.minLength == 12)
    }
}
