#!/usr/bin/env python3
"""Walks a province administrator through the admin console of a running Gatehouse in a real
headless browser (Chromium through Selenium): sign-in with password and a first enrolment in
two-step verification (RFC 6238 codes computed here), creating an account, granting a role,
a refused grant outside the administrator's province, a form without its CSRF token, the
language switch, and sign-out. Prints one JSON line of what it saw; exits non-zero with a
message on the first failure.

    console_journeys.py --issuer URL --username U --password P --other-username U2
"""
import argparse
import base64
import hashlib
import hmac
import json
import struct
import sys
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def totp(secret, at=None, period=30, digits=6, algorithm="SHA1"):
    """RFC 6238 §4: HOTP (RFC 4226 §5.3) over the count of `period`-second steps."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // period)
    mac = hmac.new(key, struct.pack(">Q", counter), getattr(hashlib, algorithm.lower())).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(value).zfill(digits)


def browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=en-US"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def heading(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def fill(driver, field_id, value):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(value)


def click_and_wait(driver, element):
    """Clicks `element` and waits until the page it was on has been replaced."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def submit(driver, form_action_suffix=None):
    """Clicks the submit button of the main form (or of the form posting to `…suffix`)."""
    if form_action_suffix is None:
        click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    else:
        forms = [f for f in driver.find_elements(By.CSS_SELECTOR, "main form") if (f.get_attribute("action") or "").endswith(form_action_suffix)]
        check(forms, f"no form posting to {form_action_suffix} on {driver.current_url}")
        click_and_wait(driver, forms[0].find_element(By.CSS_SELECTOR, "button[type=submit]"))


def sign_in(driver, issuer, username, password):
    """From the login page: password, then the second factor (enrolling at the first login)."""
    check(driver.find_elements(By.ID, "password"), f"expected the login form, got {driver.current_url}: {text(driver)[:300]}")
    fill(driver, "username", username)
    fill(driver, "password", password)
    submit(driver)
    steps = []
    for _ in range(4):
        secret = driver.find_elements(By.CSS_SELECTOR, "code.secret")
        if secret:
            # Enrolment: the key as typed into an app, and the otpauth URI beside it.
            key = secret[0].text.replace(" ", "")
            uri = next((c.text for c in driver.find_elements(By.TAG_NAME, "code") if c.text.startswith("otpauth://")), "")
            parameters = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(uri).query))
            period, digits = int(parameters.get("period", 30)), int(parameters.get("digits", 6))
            fill(driver, "code", totp(key, period=period, digits=digits, algorithm=parameters.get("algorithm", "SHA1")))
            submit(driver)
            steps.append("enrolled")
        elif driver.find_elements(By.CSS_SELECTOR, "ol.codes"):
            steps.append("recovery_codes")
            submit(driver)
        elif driver.find_elements(By.ID, "code"):
            fail("asked for a code without an enrolment: the account should enrol at its first login")
        else:
            break
    check(urllib.parse.urlparse(driver.current_url).path.startswith("/console"), f"not back in the console: {driver.current_url}")
    return steps


def main():
    p = argparse.ArgumentParser()
    for name in ("issuer", "username", "password", "other-username"):
        p.add_argument("--" + name, required=True)
    args = p.parse_args()
    issuer = args.issuer.rstrip("/")
    seen = {}
    driver = browser()
    try:
        # 1. The console sends an anonymous browser to Gatehouse's own login, then back.
        driver.get(issuer + "/console?lang=en")
        check("/login" in driver.current_url, f"/console without a session should reach the login page, got {driver.current_url}")
        seen["login_steps"] = sign_in(driver, issuer, args.username, args.password)
        check("enrolled" in seen["login_steps"], "a province-admin must enrol in two-step verification")
        check(f"Signed in as {args.username}" in text(driver), f"home page: {text(driver)[:300]}")
        check("province-admin@/ha-noi" in text(driver), "the home page lists the administrator's roles")

        # 2. Create an account; the temporary password is shown once.
        driver.get(issuer + "/console/accounts/new")
        fill(driver, "username", "pham.thi.mai")
        fill(driver, "display_name", "Phạm Thị Mai")
        fill(driver, "unit", "/ha-noi/phuong-ba-dinh")
        submit(driver)
        check("Account pham.thi.mai created." in text(driver), f"after create: {text(driver)[:300]}")
        temporary = driver.find_elements(By.ID, "temporary-password")
        check(temporary and len(temporary[0].text) >= 20, "the temporary password is shown")
        account_url = driver.current_url
        driver.get(account_url)
        check(not driver.find_elements(By.ID, "temporary-password"), "the temporary password is shown only once")
        seen["created"] = account_url.rsplit("/", 1)[-1]

        # 3. Grant clerk at Hà Nội with the role select.
        role = Select(driver.find_element(By.ID, "role"))
        options = [o.get_attribute("value") for o in role.options]
        check("clerk" in options and "central-admin" not in options, f"grantable roles: {options}")
        role.select_by_value("clerk")
        fill(driver, "grant-unit", "/ha-noi")
        submit(driver, "/grants")
        check("Granted clerk at /ha-noi" in text(driver), f"after grant: {text(driver)[:300]}")
        check("clerk" in driver.find_element(By.ID, "grants").text, "the grant is listed")
        seen["granted"] = "clerk@/ha-noi"

        # 4. Refused: a grant at a unit of Huế, outside the province; accounts of Huế stay invisible.
        Select(driver.find_element(By.ID, "role")).select_by_value("clerk")
        fill(driver, "grant-unit", "/hue")
        submit(driver, "/grants")
        check(heading(driver) == "Not allowed", f"a grant at /hue must be refused: {heading(driver)} {text(driver)[:300]}")
        check("may not grant clerk@/hue" in text(driver), f"the refusal says why: {text(driver)[:300]}")
        check("Traceback" not in driver.page_source and "Fatal error" not in driver.page_source, "no trace in the page")
        driver.get(issuer + "/console/accounts?q=" + urllib.parse.quote(args.other_username))
        check(args.other_username not in text(driver) and "No account matches" in text(driver), "an account of Huế is not found")
        seen["refused"] = "clerk@/hue"

        # 5. A form whose CSRF token was removed is refused.
        driver.get(account_url)
        driver.execute_script("document.querySelectorAll('input[name=csrf]').forEach(function (e) { e.remove(); });")
        submit(driver, "/password-reset")
        check("The form expired or is not valid" in text(driver), f"a post without its CSRF token must be refused: {text(driver)[:300]}")
        seen["csrf_refused"] = True

        # 6. Vietnamese with the switch link, and no CSP violation anywhere (the style is allowed by hash).
        driver.get(issuer + "/console/units")
        click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "a[hreflang=vi]"))
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi", "the switch link changes the language")
        check("Đơn vị" in text(driver), f"Vietnamese page: {text(driver)[:200]}")
        check(driver.find_element(By.TAG_NAME, "header").value_of_css_property("background-color") in ("rgba(139, 26, 26, 1)", "rgb(139, 26, 26)"),
              "the inline style sheet applies under the page's CSP")
        violations = [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]
        check(not violations, f"CSP violations: {violations}")

        # 7. Sign out: the console session ends, then Gatehouse's own (after its confirmation).
        click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "header form button[type=submit]"))
        for _ in range(3):
            if driver.find_elements(By.ID, "password"):
                break
            buttons = driver.find_elements(By.CSS_SELECTOR, "main form button[type=submit]")
            check(buttons, f"sign-out stopped at {driver.current_url}: {text(driver)[:300]}")
            click_and_wait(driver, buttons[0])
        check(driver.find_elements(By.ID, "password"), f"after sign-out the console asks to sign in again: {driver.current_url}")
        seen["signed_out"] = True
    finally:
        driver.quit()
    print(json.dumps(seen, ensure_ascii=False))


if __name__ == "__main__":
    main()
