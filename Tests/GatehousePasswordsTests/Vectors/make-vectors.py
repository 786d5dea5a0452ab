"""Writes the JSON vector files in this folder.

Published vectors are copied from the sources named in each entry and were checked here against
independent implementations (argon2-cffi, hashlib, passlib 1.7.4, pyca/bcrypt 5.0.0) before use.
Entries whose source starts with "generated:" were made by this script (or by the OpenSSL
command it names) with those same libraries. Run with: python3 -m venv v && v/bin/pip install
passlib bcrypt argon2-cffi && v/bin/python make-vectors.py
"""
import base64, hashlib, json, os, unicodedata
import bcrypt
from argon2 import PasswordHasher
from argon2.low_level import hash_secret_raw, Type
from passlib.hash import pbkdf2_sha256, sha512_crypt

VI = unicodedata.normalize("NFC", "Mật khẩu")  # Vietnamese for "password"
UPASS_TABLE = "t\u00e1\u0411\u2113\u0259"      # passlib.tests.test_handlers.UPASS_TABLE
UPASS_WAV = "\u0399\u03c9\u03b1\u03bd\u03bd\u03b7\u03c2"  # passlib.tests.test_handlers.UPASS_WAV

REF_ARGON2 = "phc-winner-argon2 src/test.c (reference implementation), Argon2id v=19 cases"
PASSLIB_SSHA = "passlib 1.7.4 passlib/tests/test_handlers.py, ldap_salted_sha1_test.known_correct_hashes"
PASSLIB_SSHA512 = "passlib 1.7.4 passlib/tests/test_handlers.py, ldap_salted_sha512_test.known_correct_hashes"
DREPPER = "Drepper, 'Unix crypt using SHA-256 and SHA-512' (SHA-crypt.txt), test vectors; also libxcrypt test/alg-sha512.c"
DREPPER256 = "Drepper, 'Unix crypt using SHA-256 and SHA-512' (SHA-crypt.txt), SHA-256 test vectors"
OPENWALL = "Openwall crypt_blowfish wrapper.c test vectors (as in PHP ext/standard/tests/crypt/crypt_blowfish.phpt)"
JBCRYPT = "jBCrypt TestBCrypt test vectors (as in Bouncy Castle OpenBSDBCryptTest)"
PASSLIB_PBKDF2 = "passlib 1.7.4 passlib/tests/test_handlers_pbkdf2.py, pbkdf2_sha256_test.known_correct_hashes"
DJANGO = "Django tests/auth_tests/test_hashers.py, TestUtilsHashPass.test_pbkdf2 ('lètmein', salt 'seasalt') in Django "

def v(password, hash_, source):
    return {"password": password, "hash": hash_, "source": source}

def write(name, scheme, vectors, malformed=()):
    with open(name, "w", encoding="utf-8") as f:
        json.dump({"scheme": scheme, "vectors": vectors, "malformed": list(malformed)}, f, ensure_ascii=False, indent=1)
        f.write("\n")

# --- Argon2id -------------------------------------------------------------------------------
ph = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16)
vi_argon = ph.hash(VI)
argon = [
    v("password", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", REF_ARGON2),
    v("password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", REF_ARGON2),
    v("password", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", REF_ARGON2),
    v("password", "$argon2id$v=19$m=65536,t=1,p=1$c29tZXNhbHQ$9qWtwbpyPd3vm1rB1GThgPzZ3/ydHL92zKL+15XZypg", REF_ARGON2),
    v("password", "$argon2id$v=19$m=65536,t=4,p=1$c29tZXNhbHQ$kCXUjmjvc5XMqQedpMTsOv+zyJEf5PhtGiUghW9jFyw", REF_ARGON2),
    v("differentpassword", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$C4TWUs9rDEvq7w3+J4umqA32aWKB1+DSiRuBfYxFj94", REF_ARGON2),
    v("password", "$argon2id$v=19$m=65536,t=2,p=1$ZGlmZnNhbHQ$vfMrBczELrFdWP0ZsfhWsRPaHppYdP3MVEMIVlqoFBw", REF_ARGON2),
    v(VI, vi_argon, "generated: argon2-cffi 25.1.0 PasswordHasher(t=2, m=19456, p=1), NFC password"),
]
for e in argon:
    assert ph.verify(e["hash"], e["password"])
write("argon2id.json", "argon2id", argon, [
    "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ",                       # no hash field
    "$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",  # Argon2 1.0
    "$argon2id$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",       # no version
    "$argon2id$v=19$t=2,m=65536,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",  # field order
    "$argon2id$v=19$m=065536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", # leading zero
    "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ=$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", # padding
    "$argon2id$v=19$m=65536,t=2,p=1$c29tZQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",       # 4-byte salt
    "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFh-dXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",  # bad alphabet
    "$argon2id$v=19$m=4,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",      # m < 8p
    "$argon2id$v=19$m=65536,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",  # t = 0
    "$argon2id$v=19$m=65536,t=2,p=1,keyid=abc$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
])

# --- {SSHA} / {SSHA512} ---------------------------------------------------------------------
def ssha(alg, password, salt):
    d = hashlib.new(alg, password.encode() + salt).digest()
    return base64.b64encode(d + salt).decode()

ssha1 = [
    v("testing123", "{SSHA}0c0blFTXXNuAMHECS4uxrj3ZieMoWImr", PASSLIB_SSHA),
    v("secret", "{SSHA}0H+zTv8o4MR4H43n03eCsvw1luG8LdB7", PASSLIB_SSHA),
    v(UPASS_TABLE, "{SSHA}3yCSD1nLZXznra4N8XzZgAL+s1sQYsx5", PASSLIB_SSHA),
    v("test", "{SSHA}P90+qijSp8MJ1tN25j5o1PflUvlqjXHOGeOckw==", PASSLIB_SSHA + " (8-byte salt)"),
    v("test", "{SSHA}/ZMF5KymNM+uEOjW+9STKlfCFj51bg3BmBNCiPHeW2ttbU0=", PASSLIB_SSHA + " (15-byte salt)"),
    v("test", "{SSHA}Pfx6Vf48AT9x3FVv8znbo8WQkEVSipHSWovxXmvNWUvp/d/7", PASSLIB_SSHA + " (16-byte salt)"),
    v(VI, "{SSHA}" + ssha("sha1", VI, b"\x8a\x11\x5c\x03\xe7\x42\x90\x6b"), "generated: hashlib SHA-1(NFC password + 8-byte salt), as slappasswd -h {SSHA}"),
    v("secret", "{ssha}0H+zTv8o4MR4H43n03eCsvw1luG8LdB7", "derived: passlib vector with a lower-case scheme tag (RFC 2307 tags are case-insensitive)"),
]
write("ssha.json", "{SSHA}", ssha1, [
    "{SSHA}ZQK3Yvtvl6wtIRoISgMGPkcWU7Nfq5U=",          # passlib: salt too small (3 bytes)
    "{SSHA}P90+qijSp8MJ1tN25j5o1PflUvlqjXHOGeOck",       # passlib: bad padding
    "{SSHA}P90+qijSp8MJ1tN25j5o1PflUvlqjXHOGeOckw=",     # passlib: bad padding
    "{SSHA}P90+qijSp8MJ1tN25j5o1Pf=UvlqjXHOGeOckw==",    # passlib: padding inside
    "{SSHA}P90+qijSp8MJ1tN25j5o1PflUvlqjXHOGeOck===",    # passlib: bad padding
])
ssha512 = [
    v("toomanysecrets", "{SSHA512}wExp4xjiCHS0zidJDC4UJq9EEeIebAQPJ1PWSwfhxWjfutI9XiiKuHm2AE41cEFfK+8HyI8bh+ztbczUGsvVFIgICWWPt7qu", PASSLIB_SSHA512),
    v("letm\u00e8\u00efn", "{SSHA512}mpNUSmZc3TNx+RnPwkIAVMf7ocEKLPrIoQNsg4Eu8dHvyCeb2xzHp5A6n4tF7ntknSvfvRZaJII4ImvNJlYsgiwAm0FMqR+3", PASSLIB_SSHA512),
    v("password", "{SSHA512}f/lFQskkl7PdMsTGJxHZq8LDt/l+UqRMm6/pj4pV7/xZkcOaKCgvQqp+KCeXc/Vd4RY6vEHWn4y0DnFcQ6wgyv9fyxk=", PASSLIB_SSHA512),
    v("test", "{SSHA512}Tgx/uhHnlM9/GgQvI31dN7cheDXg7WypZwaaIkyRsgV/BKIzBG3G/wUd9o1dpi06p3SYzMedg0lvTc3b6CtdO0Xo/f9/L+Uc", PASSLIB_SSHA512),
    v("test", "{SSHA512}Yg9DQ2wURCFGwobu7R2O6cq7nVbnGMPrFCX0aPQ9kj/y1hd6k9PEzkgWCB5aXdPwPzNrVb0PkiHiBnG1CxFiT+B8L8U=", PASSLIB_SSHA512),
    v(VI, "{SSHA512}" + ssha("sha512", VI, b"\x01\x23\x45\x67\x89\xab\xcd\xef\x10\x32\x54\x76\x98\xba\xdc\xfe"), "generated: hashlib SHA-512(NFC password + 16-byte salt)"),
]
write("ssha512.json", "{SSHA512}", ssha512, [
    "{SSHA512}Tgx/uhHnlM9/GgQvI31dN7cheDXg7WypZwaaIkyRsgV/BKIzBG3G/wUd9o1dpi06p3SYzMedg0lvTc3b6CtdO0Xo/f9/L+U",   # passlib: bad padding
    "{SSHA512}Tgx/uhHnlM9/GgQvI31dN7cheDXg7WypZwaaIkyRsgV/BKIzBG3G/wUd9o1dpi06p3SYzMedg0lvTc3b6CtdO0Xo/f9/L+U@",  # passlib: bad character
])

# --- SHA-crypt ------------------------------------------------------------------------------
vi_sha512 = "$6$gatehouse2025$mVlx8tclbiy.NOzyPGo9lY9I.StJjTHK3/1e4LmAKJD3ltk8QsZgNO673IKwpweBBbL3GAG0xIdbtJh9vtfmU/"
assert sha512_crypt.verify(VI, vi_sha512)
shacrypt = [
    v("Hello world!", "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1", DREPPER),
    v("Hello world!", "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.", DREPPER),
    v("This is just a test", "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0", DREPPER),
    v("a very much longer text to encrypt.  This one even stretches over morethan one line.", "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1", DREPPER),
    v("we have a short salt string but not a short password", "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0", DREPPER),
    v("a short string", "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1", DREPPER),
    v("the minimum number is still observed", "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.", DREPPER),
    v("Hello world!", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", DREPPER256),
    v("Hello world!", "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA", DREPPER256),
    v("This is just a test", "$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5", DREPPER256),
    v(VI, vi_sha512, "generated: openssl passwd -6 -salt gatehouse2025 'Mật khẩu' (OpenSSL 3.0.19)"),
    v(VI, "{CRYPT}" + vi_sha512, "generated: as above, with the {CRYPT} tag OpenLDAP stores"),
    v("correct horse battery staple", "{CRYPT}$6$Vb2kQ9$8ZNRDKhUZMYrfoU4IPBQvFqm7oXd1PpdylW.MBGt1O.KqyiRJJyDJA8E3XzFJIzJs87nm1X/8RMkB3F00JbYl.", "generated: openssl passwd -6 -salt Vb2kQ9 (OpenSSL 3.0.19), {CRYPT} tag added"),
]
write("sha-crypt.json", "sha-crypt", shacrypt, [
    "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz",       # short digest
    "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35in!1",     # bad character
    "$6$rounds=abc$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
    "$6$saltstringsaltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",  # salt > 16
])

# --- bcrypt ---------------------------------------------------------------------------------
vi_bcrypt = bcrypt.hashpw(VI.encode(), bcrypt.gensalt(rounds=5)).decode()
assert vi_bcrypt.startswith("$2b$")
vi_bcrypt_2y = "$2y$" + vi_bcrypt[4:]
assert bcrypt.checkpw(VI.encode(), vi_bcrypt_2y.encode())
bcr = [
    v("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", OPENWALL),
    v("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK", OPENWALL),
    v("U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a", OPENWALL),
    v("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored", "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui", OPENWALL),
    v("", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy", OPENWALL),
    v("", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.", JBCRYPT),
    v("a", "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe", JBCRYPT),
    v("abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i", JBCRYPT),
    v("abcdefghijklmnopqrstuvwxyz", "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC", JBCRYPT),
    v("~!@#$%^&*()      ~!@#$%^&*()PNBFRD", "$2a$06$fPIsBO8qRqkjj273rfaOI.HtSV9jLDpTbZn782DC6/t7qT67P6FfO", JBCRYPT),
    v(VI, vi_bcrypt, "generated: pyca/bcrypt 5.0.0 hashpw(NFC password, gensalt(rounds=5))"),
    v(VI, vi_bcrypt_2y, "derived: the $2b$ vector above as $2y$ (crypt_blowfish's name for the same algorithm); checked with pyca/bcrypt"),
    v(VI, "{CRYPT}" + vi_bcrypt, "derived: the $2b$ vector above with the {CRYPT} tag"),
]
for e in bcr:
    h = e["hash"].removeprefix("{CRYPT}")
    assert bcrypt.checkpw(e["password"].encode()[:72], ("$2b$" + h[4:]).encode())
write("bcrypt.json", "bcrypt", bcr, [
    "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe",     # 59 characters
    "$2a$5$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeWW",    # one-digit cost
    "$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",    # cost below 4
    "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe!",    # bad character
])

# --- PBKDF2-SHA256 --------------------------------------------------------------------------
vi_passlib = pbkdf2_sha256.using(rounds=29000, salt=b"gatehouse-salt16").hash(VI)
pbkdf2 = [
    v("password", "$pbkdf2-sha256$1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ", PASSLIB_PBKDF2),
    v(UPASS_WAV, "$pbkdf2-sha256$1212$3SABFJGDtyhrQMVt1uABPw$WyaUoqCLgvz97s523nF4iuOqZNbp5Nt8do/cuaa7AiI", PASSLIB_PBKDF2),
    v(VI, vi_passlib, "generated: passlib 1.7.4 pbkdf2_sha256.using(rounds=29000, salt=b'gatehouse-salt16')"),
]
def django(password, salt, n):
    return "pbkdf2_sha256$%d$%s$%s" % (n, salt, base64.b64encode(hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), n)).decode())
for n, h, ver in [(12000, "Ybw8zsFxqja97tY/o6G+Fy1ksY4U/Hw3DRrGED6Up4s=", "1.6"),
                  (100000, "BNZ6eyaNc8qFTJPjrAq99hSYb73EgAdytAtdBg2Sdcc=", "2.0"),
                  (180000, "gH56uAM9k5UGHuCzAYqLtJQ7AFgnXEZ4LMzt71ldHoc=", "3.0"),
                  (870000, "wJSpLMQRQz0Dhj/pFpbyjMj71B2gUYp6HJS5AU+32Ac=", "5.1")]:
    enc = "pbkdf2_sha256$%d$seasalt$%s" % (n, h)
    assert enc == django("lètmein", "seasalt", n)
    pbkdf2.append(v("lètmein", enc, DJANGO + ver))
pbkdf2.append(v(VI, django(VI, "Gh7sQ2pLm9Xc4Rt1", 1000000), "generated: hashlib.pbkdf2_hmac('sha256', NFC password, b'Gh7sQ2pLm9Xc4Rt1', 1000000), Django 5.2's encoding and default iterations"))
write("pbkdf2-sha256.json", "pbkdf2-sha256", pbkdf2, [
    "$pbkdf2-sha256$01212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ",  # leading zero
    "$pbkdf2-sha256$$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ",       # no rounds
    "$pbkdf2-sha256$1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ$",  # extra field
    "$pbkdf2-sha256$1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg+fJPeq1h/gXXY7acBp9/6c.tmQ",   # '+' is not ab64
    "pbkdf2_sha256$12000$seasalt$Ybw8zsFxqja97tY/o6G+Fy1ksY4U/Hw3DRrGED6Up4s",                 # missing padding
    "pbkdf2_sha256$12000$$Ybw8zsFxqja97tY/o6G+Fy1ksY4U/Hw3DRrGED6Up4s=",                       # empty salt
])
print("wrote", sorted(f for f in os.listdir(".") if f.endswith(".json")))
