#!/usr/bin/python3
"""Writes vectors.json: password hashes made by the real Python libraries, for the Go tests.

Run with Debian's Python and packages, not a virtualenv, so the libraries are the ones named
in the output:

    apt-get install -y python3-passlib python3-argon2 python3-bcrypt
    /usr/bin/python3 internal/password/testdata/gen_vectors.py > internal/password/testdata/vectors.json

Salts are random, so every run writes new hashes; each one is checked here with the library
that made it before it is written. Most parameters are small so the Go tests stay fast; one
vector per format uses the library's defaults.
"""

import json
import sys

import argon2
import bcrypt as pybcrypt
import passlib
from passlib.context import CryptContext
from passlib.hash import argon2 as passlib_argon2
from passlib.hash import bcrypt as passlib_bcrypt
from passlib.hash import pbkdf2_sha256

PASSWORDS = [
    ("ascii", "securepass123"),
    ("unicode", "p\u00e4ssw\u00f6rd-\u65e5\u672c\u8a9e-\U0001f511"),
    ("empty", ""),
    # 70 ASCII bytes and a 2-byte rune: exactly the 72 bytes bcrypt reads.
    ("72-bytes", "x" * 70 + "\u00e9"),
    # 71 ASCII bytes and a 2-byte rune: passlib cuts at byte 72, inside the rune.
    ("73-bytes-split-rune", "y" * 71 + "\u00e9"),
    ("100-bytes", ("correct horse battery staple " * 4)[:100]),
    # bcrypt refuses NUL; the other formats hash it like any byte.
    ("nul", "before\x00after"),
]

vectors = []


def add(fmt, library, params, name, pw, hash_, verify):
    pwbytes = pw.encode("utf-8")
    truncated = fmt == "bcrypt" and len(pwbytes) > 72
    assert verify(pw, hash_), (fmt, params, name)
    # The Go tests use the same wrong password: the first character changed.
    assert not verify("!" + pw[1:] if pw else "!", hash_), (fmt, params, name)
    # From 72 bytes on, the library's bcrypt cannot tell pw from pw + "!".
    assert verify(pw + "!", hash_) == (fmt == "bcrypt" and len(pwbytes) >= 72), (fmt, params, name)
    if truncated:
        assert verify(pwbytes[:72], hash_), (fmt, params, name)
    vectors.append({
        "format": fmt,
        "library": library,
        "params": params,
        "name": name,
        "password": pw,
        "password_bytes": len(pwbytes),
        "truncated": truncated,
        "hash": hash_,
    })


def bcrypt_vectors():
    for name, pw in PASSWORDS:
        if "\x00" in pw:
            continue
        h = passlib_bcrypt.using(rounds=4, ident="2b").hash(pw)
        add("bcrypt", "passlib.hash.bcrypt", "cost=4 ident=2b", name, pw, h, passlib_bcrypt.verify)
    for ident in ("2a", "2y"):
        for name, pw in PASSWORDS[:2] + PASSWORDS[5:6]:
            h = passlib_bcrypt.using(rounds=5, ident=ident).hash(pw)
            add("bcrypt", "passlib.hash.bcrypt", "cost=5 ident=" + ident, name, pw, h, passlib_bcrypt.verify)
    # The bcrypt package itself, which passlib calls and which FastAPI apps also use directly.
    for name, pw in PASSWORDS[:2]:
        h = pybcrypt.hashpw(pw.encode("utf-8"), pybcrypt.gensalt(rounds=4)).decode("ascii")
        add("bcrypt", "bcrypt.hashpw", "cost=4", name, pw, h,
            lambda p, h: pybcrypt.checkpw(p if isinstance(p, bytes) else p.encode("utf-8"), h.encode("ascii")))
    # The article's own context, at passlib's default cost 12.
    ctx = CryptContext(schemes=["bcrypt"], deprecated="auto")
    add("bcrypt", "passlib CryptContext(schemes=['bcrypt'])", "defaults (cost=12 ident=2b)",
        "ascii", "securepass123", ctx.hash("securepass123"), ctx.verify)


def argon2_vectors():
    small = passlib_argon2.using(type="ID", memory_cost=1024, time_cost=1, parallelism=1,
                                 salt_size=16, digest_size=32)
    for name, pw in PASSWORDS:
        add("argon2id", "passlib.hash.argon2", "m=1024 t=1 p=1 salt=16 hash=32", name, pw,
            small.hash(pw), small.verify)
    ph = argon2.PasswordHasher(time_cost=2, memory_cost=2048, parallelism=2, hash_len=16,
                               salt_len=8, type=argon2.Type.ID)
    for name, pw in PASSWORDS[:3] + PASSWORDS[6:]:
        add("argon2id", "argon2.PasswordHasher", "m=2048 t=2 p=2 salt=8 hash=16", name, pw,
            ph.hash(pw), lambda p, h: _cffi_verify(ph, h, p))
    ph = argon2.PasswordHasher(time_cost=1, memory_cost=64, parallelism=4, hash_len=64,
                               salt_len=64, type=argon2.Type.ID)
    add("argon2id", "argon2.PasswordHasher", "m=64 t=1 p=4 salt=64 hash=64", "unicode",
        PASSWORDS[1][1], ph.hash(PASSWORDS[1][1]), lambda p, h: _cffi_verify(ph, h, p))
    ph = argon2.PasswordHasher()
    add("argon2id", "argon2.PasswordHasher", "defaults (m=%d t=%d p=%d hash=%d)" % (
        ph.memory_cost, ph.time_cost, ph.parallelism, ph.hash_len), "ascii", "securepass123",
        ph.hash("securepass123"), lambda p, h: _cffi_verify(ph, h, p))


def _cffi_verify(ph, hash_, pw):
    try:
        return ph.verify(hash_, pw)
    except argon2.exceptions.VerifyMismatchError:
        return False


def pbkdf2_vectors():
    small = pbkdf2_sha256.using(rounds=1000, salt_size=16)
    for name, pw in PASSWORDS:
        add("pbkdf2-sha256", "passlib.hash.pbkdf2_sha256", "rounds=1000 salt=16", name, pw,
            small.hash(pw), small.verify)
    for rounds, salt in ((1, 0), (2000, 8), (1500, 64)):
        h = pbkdf2_sha256.using(rounds=rounds, salt_size=salt)
        add("pbkdf2-sha256", "passlib.hash.pbkdf2_sha256", "rounds=%d salt=%d" % (rounds, salt),
            "unicode", PASSWORDS[1][1], h.hash(PASSWORDS[1][1]), h.verify)
    add("pbkdf2-sha256", "passlib.hash.pbkdf2_sha256",
        "defaults (rounds=%d salt=16)" % pbkdf2_sha256.default_rounds, "ascii", "securepass123",
        pbkdf2_sha256.hash("securepass123"), pbkdf2_sha256.verify)


def main():
    bcrypt_vectors()
    argon2_vectors()
    pbkdf2_vectors()
    # ab64's "." (standard base64's "+") must appear somewhere, or the alphabet goes untested.
    assert any("." in v["hash"].split("$", 3)[3] for v in vectors if v["format"] == "pbkdf2-sha256")
    json.dump({
        "generator": "internal/password/testdata/gen_vectors.py",
        "libraries": {
            "passlib": passlib.__version__,
            "argon2-cffi": argon2.__version__,
            "bcrypt": pybcrypt.__version__,
            "passlib bcrypt backend": passlib_bcrypt.get_backend(),
        },
        "vectors": vectors,
    }, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
