import GatehouseCore

/// Every sentence of the admin console, in Vietnamese and English. Plain text: the templates
/// escape it. Refusals from ``GatehouseAdmin/AdminService`` are shown as the service wrote them,
/// under a translated heading.
///
/// ```swift
/// ConsoleTexts.of(.vi).accounts   // "Tài khoản"
/// ```
struct ConsoleTexts: Sendable {
    let language: Language

    static func of(_ language: Language) -> ConsoleTexts { ConsoleTexts(language: language) }

    private func pick(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    // Layout
    var console: String { pick("Bảng quản trị", "Admin console") }
    var home: String { pick("Trang chính", "Home") }
    var accounts: String { pick("Tài khoản", "Accounts") }
    var newAccount: String { pick("Tạo tài khoản", "New account") }
    var units: String { pick("Đơn vị", "Units") }
    var audit: String { pick("Nhật ký", "Audit trail") }
    var signOut: String { pick("Đăng xuất", "Sign out") }
    func signedInAs(_ username: String) -> String { pick("Đăng nhập với tên \(username)", "Signed in as \(username)") }
    var switchLanguage: String { pick("Ngôn ngữ", "Language") }

    // Home
    var yourRoles: String { pick("Vai trò của bạn", "Your roles") }
    var yourReach: String { pick("Phạm vi quản trị", "Where you administer") }

    // Search
    var search: String { pick("Tìm kiếm", "Search") }
    var searchText: String { pick("Tên hoặc tên đăng nhập", "Name or username") }
    var unit: String { pick("Đơn vị", "Unit") }
    var unitHint: String { pick("Đường dẫn đơn vị, ví dụ /ha-noi/phuong-ba-dinh", "Unit path, e.g. /ha-noi/phuong-ba-dinh") }
    var status: String { pick("Trạng thái", "Status") }
    var anyStatus: String { pick("Tất cả", "Any") }
    func statusName(_ status: AccountStatus) -> String {
        switch status {
        case .active: pick("Đang hoạt động", "Active")
        case .disabled: pick("Đã khóa bởi quản trị", "Disabled")
        case .locked: pick("Bị tạm khóa", "Locked")
        }
    }
    func found(_ total: Int) -> String { pick("Tìm thấy \(total) tài khoản.", "\(total) account\(total == 1 ? "" : "s") found.") }
    var noAccounts: String { pick("Không có tài khoản nào phù hợp.", "No account matches.") }
    var previous: String { pick("Trang trước", "Previous") }
    var next: String { pick("Trang sau", "Next") }

    // Account
    var username: String { pick("Tên đăng nhập", "Username") }
    var displayName: String { pick("Họ và tên", "Full name") }
    var email: String { pick("Thư điện tử", "Email") }
    var source: String { pick("Nguồn", "Source") }
    var secondFactor: String { pick("Xác thực hai bước", "Two-step verification") }
    var enrolled: String { pick("Đã đăng ký", "Enrolled") }
    var notEnrolled: String { pick("Chưa đăng ký", "Not enrolled") }
    var mustChangePassword: String { pick("Phải đổi mật khẩu ở lần đăng nhập tới", "Must change the password at the next sign-in") }
    var grants: String { pick("Vai trò được giao", "Roles granted") }
    var noGrants: String { pick("Chưa được giao vai trò nào.", "No role granted.") }
    var role: String { pick("Vai trò", "Role") }
    var revoke: String { pick("Thu hồi", "Revoke") }
    var grantRole: String { pick("Giao vai trò", "Grant a role") }
    var grant: String { pick("Giao", "Grant") }
    var noGrantableRoles: String { pick("Bạn không thể giao vai trò nào tại đơn vị này.", "You cannot grant any role at this unit.") }
    var actions: String { pick("Thao tác", "Actions") }
    var disable: String { pick("Khóa tài khoản", "Disable the account") }
    var enable: String { pick("Mở khóa tài khoản", "Enable the account") }
    var resetPassword: String { pick("Đặt lại mật khẩu", "Reset the password") }
    var resetSecondFactor: String { pick("Đặt lại xác thực hai bước", "Reset two-step verification") }
    var temporaryPassword: String { pick("Mật khẩu tạm thời", "Temporary password") }
    var temporaryPasswordOnce: String {
        pick("Mật khẩu này chỉ hiển thị một lần. Hãy chuyển cho người dùng qua kênh an toàn; họ phải đổi mật khẩu khi đăng nhập.",
             "This password is shown only once. Hand it to the user over a safe channel; they must change it at sign-in.")
    }

    // Create
    var create: String { pick("Tạo", "Create") }
    var passwordOptional: String { pick("Mật khẩu (để trống để tạo mật khẩu tạm thời)", "Password (leave empty for a temporary one)") }
    var activeNow: String { pick("Kích hoạt ngay", "Active now") }

    // Units
    var unitsUnder: String { pick("Các đơn vị", "Units") }
    var name: String { pick("Tên", "Name") }
    var level: String { pick("Cấp", "Level") }
    func levelName(_ level: UnitLevel) -> String {
        switch level {
        case .central: pick("Trung ương", "Central")
        case .province: pick("Tỉnh, thành phố", "Province")
        case .commune: pick("Xã, phường", "Commune")
        }
    }
    var up: String { pick("Lên đơn vị cha", "Up to the parent") }
    var accountsHere: String { pick("Tài khoản của đơn vị", "Accounts of the unit") }
    var moveUnit: String { pick("Chuyển đơn vị", "Move a unit") }
    var unitToMove: String { pick("Đơn vị cần chuyển", "Unit to move") }
    var newParent: String { pick("Đơn vị cha mới", "New parent") }
    var newSlug: String { pick("Tên đường dẫn mới (không bắt buộc)", "New path segment (optional)") }
    var preview: String { pick("Xem trước", "Preview") }
    var confirmMove: String { pick("Xác nhận chuyển", "Confirm the move") }
    var cancel: String { pick("Hủy", "Cancel") }
    func movePreview(_ o: (from: String, to: String, units: Int, accounts: Int, grants: Int, clients: Int)) -> String {
        pick("Chuyển \(o.from) thành \(o.to) sẽ đổi đường dẫn của \(o.units) đơn vị, \(o.accounts) tài khoản, \(o.grants) vai trò được giao và \(o.clients) ứng dụng. Chưa có gì thay đổi.",
             "Moving \(o.from) to \(o.to) changes the path of \(o.units) unit(s), \(o.accounts) account(s), \(o.grants) grant(s) and \(o.clients) client(s). Nothing has changed yet.")
    }

    // Audit
    var sequence: String { "#" }
    var time: String { pick("Thời điểm", "Time") }
    var action: String { pick("Hành động", "Action") }
    var actor: String { pick("Người thực hiện", "Actor") }
    var target: String { pick("Đối tượng", "Target") }
    var result: String { pick("Kết quả", "Result") }
    var detail: String { pick("Chi tiết", "Detail") }
    var noEvents: String { pick("Không còn sự kiện nào.", "No more events.") }
    var fromStart: String { pick("Từ đầu", "From the start") }

    // Outcomes (flash messages after a change)
    func created(_ username: String) -> String { pick("Đã tạo tài khoản \(username).", "Account \(username) created.") }
    var disabledDone: String { pick("Đã khóa tài khoản.", "The account is disabled.") }
    var enabledDone: String { pick("Đã mở khóa tài khoản.", "The account is enabled.") }
    var passwordResetDone: String { pick("Đã đặt lại mật khẩu.", "The password was reset.") }
    var secondFactorResetDone: String {
        pick("Đã đặt lại xác thực hai bước; người dùng sẽ đăng ký lại khi đăng nhập.", "Two-step verification was reset; the user enrols again at sign-in.")
    }
    func granted(_ role: String, _ unit: String) -> String { pick("Đã giao vai trò \(role) tại \(unit).", "Granted \(role) at \(unit).") }
    var revokedDone: String { pick("Đã thu hồi vai trò.", "The grant was revoked.") }
    func moved(_ from: String, _ to: String) -> String { pick("Đã chuyển \(from) thành \(to).", "Moved \(from) to \(to).") }

    // Errors
    var errorTitle: String { pick("Không thực hiện được", "Not done") }
    var forbiddenTitle: String { pick("Không được phép", "Not allowed") }
    var notFoundTitle: String { pick("Không tìm thấy", "Not found") }
    var formRefused: String {
        pick("Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và thử lại.",
             "The form expired or is not valid. Reload the page and try again.")
    }
    var tooLarge: String { pick("Dữ liệu gửi lên quá lớn.", "The form is too large.") }
    var busy: String { pick("Hệ thống đang bận. Vui lòng thử lại sau ít phút.", "The service is busy. Please try again in a moment.") }
    var signInFailed: String {
        pick("Không đăng nhập được vào bảng quản trị. Hãy thử lại.", "Signing in to the console failed. Try again.")
    }
    var tryAgain: String { pick("Thử lại", "Try again") }
    var notAnAdministrator: String {
        pick("Tài khoản này không có quyền quản trị.", "This account holds no administrative role.")
    }
}
