import GatehousePolicy

/// Every sentence the web pages show, in both languages. Plain text: the templates escape it.
///
/// ```swift
/// let t = Texts.of(.vi)
/// t.signIn          // "Đăng nhập"
/// ```
struct Texts: Sendable {
    let language: Language

    static func of(_ language: Language) -> Texts { Texts(language: language) }

    private func pick(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    // Shared
    var productName: String { "Gatehouse" }
    var switchLanguage: String { pick("Ngôn ngữ", "Language") }
    var backToApplication: String { pick("Hãy quay lại ứng dụng và thử lại.", "Go back to the application and try again.") }

    // Login
    var signIn: String { pick("Đăng nhập", "Sign in") }
    func signInTo(_ client: String) -> String { pick("Đăng nhập để tiếp tục vào \(client)", "Sign in to continue to \(client)") }
    var username: String { pick("Tên đăng nhập", "Username") }
    var password: String { pick("Mật khẩu", "Password") }
    var invalidCredentials: String {
        pick("Tên đăng nhập hoặc mật khẩu không đúng.", "The username or password is incorrect.")
    }
    var differentUser: String {
        pick("Ứng dụng yêu cầu đăng nhập bằng một tài khoản khác.", "The application asked you to sign in with a different account.")
    }

    // Password change
    var changePassword: String { pick("Đổi mật khẩu", "Change your password") }
    var mustChangePassword: String {
        pick("Bạn cần đặt mật khẩu mới trước khi tiếp tục.", "You must choose a new password before you continue.")
    }
    var passwordExpired: String {
        pick("Mật khẩu của bạn đã hết hạn. Hãy đặt mật khẩu mới.", "Your password has expired. Choose a new one.")
    }
    var newPassword: String { pick("Mật khẩu mới", "New password") }
    var confirmPassword: String { pick("Nhập lại mật khẩu mới", "Repeat the new password") }
    func passwordRules(minimum: Int) -> String {
        pick("Ít nhất \(minimum) ký tự. Nên dùng một cụm từ dễ nhớ.", "At least \(minimum) characters. A memorable phrase works well.")
    }
    var changeAndContinue: String { pick("Đổi mật khẩu và tiếp tục", "Change password and continue") }
    var passwordsDiffer: String { pick("Hai mật khẩu mới không khớp nhau.", "The two new passwords do not match.") }
    var sameAsCurrent: String { pick("Mật khẩu mới phải khác mật khẩu hiện tại.", "The new password must differ from the current one.") }

    /// A password-policy problem (NIST SP 800-63B §5.1.1.2) as a sentence.
    func problem(_ problem: PasswordProblem) -> String {
        switch problem {
        case .tooShort(let n): pick("Mật khẩu phải có ít nhất \(n) ký tự.", "The password must be at least \(n) characters long.")
        case .tooLong(let n): pick("Mật khẩu không được dài quá \(n) ký tự.", "The password must be at most \(n) characters long.")
        case .common: pick("Mật khẩu này quá phổ biến; hãy chọn mật khẩu khác.", "This password is too common; choose another one.")
        case .containsUsername: pick("Mật khẩu không được chứa tên đăng nhập.", "The password must not contain your username.")
        case .containsDisplayName: pick("Mật khẩu không được chứa tên của bạn.", "The password must not contain your name.")
        }
    }

    // Second factor (RFC 6238 TOTP)
    var secondFactorTitle: String { pick("Xác thực hai bước", "Two-step verification") }
    var enterCode: String {
        pick("Nhập mã 6 chữ số đang hiển thị trong ứng dụng xác thực của bạn.",
             "Enter the 6-digit code your authenticator app shows.")
    }
    var code: String { pick("Mã xác thực", "Verification code") }
    var recoveryHint: String {
        pick("Không có điện thoại bên mình? Nhập một trong các mã khôi phục của bạn thay cho mã 6 chữ số.",
             "Phone not at hand? Enter one of your recovery codes instead of the 6-digit code.")
    }
    var verify: String { pick("Xác nhận", "Verify") }
    func wrongCode(remaining: Int) -> String {
        pick("Mã không đúng hoặc đã được dùng. Bạn còn \(remaining) lần thử.",
             "The code is wrong or was already used. \(remaining) attempt\(remaining == 1 ? "" : "s") left.")
    }
    var tooManyCodes: String {
        pick("Bạn đã nhập sai mã quá nhiều lần. Hãy đăng nhập lại.",
             "Too many wrong codes. Sign in again.")
    }
    var enrolTitle: String { pick("Thiết lập xác thực hai bước", "Set up two-step verification") }
    var enrolIntro: String {
        pick("Tài khoản của bạn cần xác thực hai bước. Mở ứng dụng xác thực trên điện thoại (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis…), quét mã QR dưới đây, rồi nhập mã 6 chữ số mà ứng dụng hiển thị.",
             "Your account needs two-step verification. Open an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis…), scan the QR code below, then enter the 6-digit code the app shows.")
    }
    var qrLabel: String { pick("Mã QR để thêm tài khoản vào ứng dụng xác thực", "QR code that adds the account to an authenticator app") }
    var manualKey: String { pick("Không quét được? Nhập khoá này vào ứng dụng:", "Cannot scan? Type this key into the app:") }
    var setupLink: String { pick("Liên kết thiết lập", "Setup link") }
    var confirmAndContinue: String { pick("Xác nhận và tiếp tục", "Confirm and continue") }
    var recoveryTitle: String { pick("Mã khôi phục", "Recovery codes") }
    var recoveryIntro: String {
        pick("Đã bật xác thực hai bước. Hãy lưu 10 mã khôi phục dưới đây ở nơi an toàn: mỗi mã dùng được một lần để đăng nhập khi bạn không có điện thoại.",
             "Two-step verification is on. Keep the 10 recovery codes below somewhere safe: each signs you in once when your phone is not at hand.")
    }
    var recoveryShownOnce: String {
        pick("Các mã này chỉ hiển thị một lần.", "These codes are shown only this once.")
    }
    var savedContinue: String { pick("Tôi đã lưu các mã, tiếp tục", "I have saved them, continue") }

    // Consent
    var consentTitle: String { pick("Cho phép truy cập", "Allow access") }
    func consentQuestion(_ client: String) -> String {
        pick("\(client) muốn truy cập các thông tin sau của bạn:", "\(client) would like to access:")
    }
    func scope(_ name: String) -> String {
        switch name {
        case "openid": pick("Danh tính của bạn trong Gatehouse", "Your Gatehouse identity")
        case "profile": pick("Họ tên và tên đăng nhập", "Your name and username")
        case "email": pick("Địa chỉ thư điện tử", "Your email address")
        default: name
        }
    }
    var allow: String { pick("Cho phép", "Allow") }
    var deny: String { pick("Từ chối", "Deny") }

    // Logout
    var signOut: String { pick("Đăng xuất", "Sign out") }
    var signOutQuestion: String {
        pick("Bạn có muốn đăng xuất khỏi Gatehouse và mọi ứng dụng đã đăng nhập không?",
             "Do you want to sign out of Gatehouse and every application you signed in to?")
    }
    var signedOut: String { pick("Bạn đã đăng xuất.", "You have signed out.") }
    var signedOutDetail: String {
        pick("Bạn có thể đóng cửa sổ này.", "You can close this window.")
    }

    // Errors
    var errorTitle: String { pick("Không thể tiếp tục", "Something went wrong") }
    var invalidRequest: String { pick("Yêu cầu đăng nhập không hợp lệ.", "The sign-in request is not valid.") }
    var invalidLogout: String { pick("Yêu cầu đăng xuất không hợp lệ.", "The sign-out request is not valid.") }
    var flowExpired: String {
        pick("Yêu cầu đăng nhập đã hết hạn hoặc không hợp lệ.", "This sign-in request has expired or is not valid.")
    }
    var formRefused: String {
        pick("Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang rồi thử lại.",
             "The form has expired or is not valid. Reload the page and try again.")
    }
    var busy: String { pick("Hệ thống đang bận. Vui lòng thử lại sau ít phút.", "The service is busy. Please try again in a moment.") }
    var directoryUnavailable: String {
        pick("Không kết nối được với thư mục tài khoản của đơn vị, nên chưa thể kiểm tra mật khẩu. Vui lòng thử lại sau ít phút.",
             "Your unit's account directory cannot be reached, so your password cannot be checked. Please try again in a few minutes.")
    }
    var tooLarge: String { pick("Dữ liệu gửi lên quá lớn.", "The submitted data is too large.") }
    var technicalDetail: String { pick("Chi tiết kỹ thuật", "Technical detail") }
}
