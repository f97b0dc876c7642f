#!/usr/bin/python3
"""Writes article.db, a database of the article's FastAPI app as SQLAlchemy writes it on SQLite,
and users.json, what each user's password is and what importing them should do.

Run with Debian's Python and packages, not a virtualenv:

    apt-get install -y python3-sqlalchemy python3-passlib python3-bcrypt python3-argon2
    cd internal/importer/testdata/article && /usr/bin/python3 gen_fixture.py

The model is the article's (webapp/backend/entities/users.py), with an EmailAccount model
inferred from its relationship. The article imports SQLAlchemy 2.0's generic UUID type; Debian
12 ships SQLAlchemy 1.4, which lacks it, so the UUID class below does on SQLite what 2.0's does:
the column is declared UUID (SQLite gives it NUMERIC affinity) and a uuid.UUID is bound as its
32 lowercase hex digits. Timestamps go through SQLAlchemy's SQLite DateTime, which stores
"YYYY-MM-DD HH:MM:SS.ffffff" and drops the time zone. Password hashes come from the article's
own CryptContext(schemes=['bcrypt'], deprecated='auto'): passlib bcrypt, $2b$12$.

Salts are random, so each run writes other hashes; ids, emails and timestamps are fixed.
"""

import json
import os
import unicodedata
import uuid
from datetime import datetime, timezone

from passlib.context import CryptContext
from passlib.hash import argon2 as passlib_argon2
from passlib.hash import md5_crypt, pbkdf2_sha256
from sqlalchemy import Column, DateTime, ForeignKey, String, create_engine
from sqlalchemy.orm import Session, declarative_base, relationship
from sqlalchemy.types import UserDefinedType

HERE = os.path.dirname(os.path.abspath(__file__))
DB = os.path.join(HERE, "article.db")
SIDECAR = os.path.join(HERE, "users.json")

Base = declarative_base()


class UUID(UserDefinedType):
    """SQLAlchemy 2.0's sqlalchemy.UUID as it behaves on SQLite (no native UUID type)."""

    cache_ok = True

    def __init__(self, as_uuid=True):
        self.as_uuid = as_uuid

    def get_col_spec(self, **kw):
        return "UUID"

    def bind_processor(self, dialect):
        def process(value):
            if value is None:
                return None
            return value.hex if self.as_uuid else uuid.UUID(value).hex
        return process

    def result_processor(self, dialect, coltype):
        def process(value):
            if value is None:
                return None
            return uuid.UUID(value) if self.as_uuid else value
        return process


def utcnow():
    return datetime.now(timezone.utc)


class User(Base):
    __tablename__ = "users"
    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    email = Column(String, unique=True, nullable=False)
    first_name = Column(String, nullable=False)
    last_name = Column(String, nullable=False)
    password_hash = Column(String, nullable=False)
    created_at = Column(DateTime(timezone=True), default=utcnow)
    updated_at = Column(DateTime(timezone=True), onupdate=utcnow)
    email_accounts = relationship("EmailAccount", back_populates="user", cascade="all, delete-orphan")


class EmailAccount(Base):
    __tablename__ = "email_accounts"
    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("users.id"), nullable=False)
    email_address = Column(String, nullable=False)
    provider = Column(String, nullable=False)
    display_name = Column(String, nullable=True)
    created_at = Column(DateTime(timezone=True), default=utcnow)
    updated_at = Column(DateTime(timezone=True), onupdate=utcnow)
    user = relationship("User", back_populates="email_accounts")


bcrypt_context = CryptContext(schemes=["bcrypt"], deprecated="auto")

LONG = ("the quick brown fox jumps over the lazy dog; " * 3)[:100]
assert len(LONG.encode("utf-8")) == 100


def at(s):
    """A timestamp the app wrote: aware, in UTC, as datetime.now(timezone.utc) gives."""
    return datetime.fromisoformat(s).replace(tzinfo=timezone.utc)


# Each user: id, email, names, password, how it was hashed, timestamps, email accounts, and what
# importing and then signing in with the password should do (see users.json's "about").
USERS = [
    dict(id="6f1c2d4e8a9b4c3d9e0f1a2b3c4d5e6f", email="Ada@x.com", first="Ada", last="Lovelace",
         password="analytical-engine-1843", created="2024-01-10 09:15:00.123456", updated=None,
         accounts=[("ada.work@gmail.com", "gmail", "Work"), ("ada@outlook.com", "outlook", None)],
         expect="conflict", conflict_with="0b7e5a3c2d1f4e6a8b9c0d1e2f3a4b5c",
         created_first=True, most_recent=False),
    dict(id="0b7e5a3c2d1f4e6a8b9c0d1e2f3a4b5c", email="ada@x.com", first="Ada", last="Byron",
         password="countess-of-lovelace", created="2024-03-05 18:40:12.000001",
         updated="2025-02-01 07:00:00.000000",
         accounts=[("countess@imap.example.org", "imap", "Countess")],
         expect="conflict", conflict_with="6f1c2d4e8a9b4c3d9e0f1a2b3c4d5e6f",
         created_first=False, most_recent=True),
    dict(id="9a8b7c6d5e4f43218765fedcba987654", email="grace@example.com", first="Grace", last="Hopper",
         password="securepass123", created="2024-02-29 23:59:59.999999", updated=None,
         accounts=[("grace@gmail.com", "gmail", "Grace")], expect="imported"),
    dict(id="3c2b1a0f9e8d47c6b5a4938271605f4e", email="Carol@Example.COM", first="Carol", last="Shaw",
         password="river-raid-1982", created="2024-04-01 12:00:00.000000",
         updated="2024-04-02 12:00:00.000000", accounts=[], expect="imported"),
    dict(id="d4c3b2a1f0e94d8c8b7a695847362514", email="zo\u00eb@example.com", first="Zo\u00eb",
         last="\u00d1\u00fa\u00f1ez", password="p\u00e4ssw\u00f6rd-\u65e5\u672c\u8a9e",
         created="2024-05-05 05:05:05.050505", updated=None, accounts=[], expect="imported"),
    dict(id="a1b2c3d4e5f64a7b8c9d0e1f2a3b4c5d", email="long@example.com", first="Longinus", last="Passphrase",
         password=LONG, created="2024-06-01 10:00:00.000000", updated=None, accounts=[],
         expect="imported", truncated=True),
    dict(id="b2c3d4e5f6a74b8c9d0e1f2a3b4c5d6e", email="exact72@example.com", first="Seventy", last="Two",
         password="x" * 70 + "\u00e9", created="2024-06-02 10:00:00.000000", updated=None, accounts=[],
         expect="imported"),
    dict(id="c3d4e5f6a7b84c9d8e1f2a3b4c5d6e7f", email="not-an-email", first="Nemo", last="Nobody",
         password="securepass123", created="2024-07-01 08:00:00.000000", updated=None,
         accounts=[("nemo@gmail.com", "gmail", None)], expect="invalid_email"),
    dict(id="e5f6a7b8c9d04e1f8a2b3c4d5e6f7a8b", email="mallory@example.com", first="\x1b[31mMallory",
         last="Evil", password="securepass123", created="2024-07-02 08:00:00.000000", updated=None,
         accounts=[], expect="invalid_name"),
    dict(id="f6a7b8c9d0e14f2a9b3c4d5e6f7a8b9c", email="legacy@example.com", first="Legacy", last="Md5",
         password="securepass123", created="2023-12-31 23:00:00.000000", updated=None, accounts=[],
         expect="unknown_hash_format", scheme="md5_crypt"),
    dict(id="07a8b9c0d1e24a3b8c4d5e6f7a8b9c0d", email="pbkdf2@example.com", first="Pat", last="Bkdf",
         password="pbkdf2-was-here", created="2024-08-01 08:00:00.000000", updated=None, accounts=[],
         expect="imported", scheme="pbkdf2_sha256"),
    dict(id="18b9c0d1e2f34b4c9d5e6f7a8b9c0d1e", email="argon@example.com", first="Argon", last="Two",
         password="argon2-was-here", created="2024-08-02 08:00:00.000000", updated=None, accounts=[],
         expect="imported", scheme="argon2"),
    # All 32 hex digits are decimal digits, so SQLite's NUMERIC affinity (the column is declared
    # UUID) stores the bound text as a REAL and the id is lost: about 1 uuid4 in 450,000.
    dict(id="31415926535847978323846264338327", email="digits@example.com", first="Numeric", last="Id",
         password="securepass123", created="2024-09-01 08:00:00.000000", updated=None,
         accounts=[("digits@gmail.com", "gmail", None)], expect="id_not_uuid"),
]


def make_hash(u):
    scheme = u.get("scheme", "bcrypt")
    if scheme == "bcrypt":
        return bcrypt_context.hash(u["password"])
    if scheme == "pbkdf2_sha256":
        return pbkdf2_sha256.hash(u["password"])
    if scheme == "argon2":
        return passlib_argon2.using(memory_cost=1024, time_cost=1, parallelism=1).hash(u["password"])
    if scheme == "md5_crypt":
        return md5_crypt.hash(u["password"])
    raise ValueError(scheme)


def write_db():
    if os.path.exists(DB):
        os.remove(DB)
    engine = create_engine("sqlite:///" + DB)
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        for u in USERS:
            user = User(id=uuid.UUID(u["id"]), email=u["email"], first_name=u["first"],
                        last_name=u["last"], password_hash=make_hash(u),
                        created_at=at(u["created"]))
            for i, (address, provider, name) in enumerate(u["accounts"]):
                user.email_accounts.append(EmailAccount(
                    id=uuid.uuid5(uuid.UUID(u["id"]), address), email_address=address,
                    provider=provider, display_name=name, created_at=at(u["created"])))
            db.add(user)
            u["hash"] = user.password_hash
        db.commit()
        # updated_at is set by the app's onupdate on a later change: make that change, with the
        # time it happened given explicitly, so the rest keep a NULL updated_at.
        for u in USERS:
            if u["updated"]:
                user = db.get(User, uuid.UUID(u["id"]))
                user.last_name = u["last"]
                user.updated_at = at(u["updated"])
        db.commit()
    engine.dispose()


def check_db():
    """Reads article.db back with the sqlite3 module: what an importer will see."""
    import sqlite3
    con = sqlite3.connect(DB)
    rows = {r[0] if isinstance(r[0], str) else None: r for r in con.execute(
        "SELECT id, email, password_hash, created_at, updated_at, typeof(id) FROM users")}
    for u in USERS:
        if u["expect"] == "id_not_uuid":
            (kind,) = con.execute("SELECT typeof(id) FROM users WHERE email = ?", (u["email"],)).fetchone()
            assert kind == "real", kind
            continue
        r = rows[u["id"]]
        assert r[2] == u["hash"] and r[3] == u["created"] and r[4] == u["updated"], r
    con.close()


def verify(u):
    h = u["hash"]
    if u["expect"] == "unknown_hash_format":
        assert md5_crypt.verify(u["password"], h)
        return
    ctx = CryptContext(schemes=["bcrypt", "pbkdf2_sha256", "argon2"])
    assert ctx.verify(u["password"], h), u["email"]
    if u.get("truncated"):
        assert ctx.verify(u["password"].encode("utf-8")[:72], h)


def sidecar():
    about = {
        "file": "article.db, written by gen_fixture.py through SQLAlchemy",
        "id": "the users.id value as the generator bound it: 32 lowercase hex digits, stored as TEXT (uuid.UUID(id) gives the UUID), except for expect=id_not_uuid, stored as a REAL",
        "expect": {
            "imported": "imported; signs in with password",
            "conflict": "same email as conflict_with but for case; the operator's flag decides: skip both, keep created_first, or keep most_recent (updated_at, else created_at)",
            "invalid_email": "reported with the row's id; not imported, nor its email accounts",
            "invalid_name": "reported (a control character in a name); not imported",
            "unknown_hash_format": "reported (md5-crypt, not a format Gatehouse verifies, password.ErrUnknownFormat); if the importer still creates the user, it is without a usable password (the user resets)",
            "id_not_uuid": "reported: SQLite stored the id as a REAL (its hex digits were all decimal), so the UUID is lost; its email_accounts rows hold the same REAL in user_id",
        },
        "sign_in": {
            "ok": "the password signs in (for a conflict: if this row is the one kept); the $2b$12$ hash stays at cost 12, or is rehashed when the configured cost differs",
            "ok_rehashed": "the password signs in; the hash is replaced by bcrypt at the configured cost (NeedsRehash is true for every non-bcrypt format)",
            "truncated": "a password over 72 bytes that passlib truncated: signing in with it matches the hash's first 72 bytes once (password.VerifyTruncated), then a new password is required; its first 72 bytes alone sign in as an ordinary password",
            "refused": "not imported, so the password does not sign in",
        },
    }
    out = []
    for u in USERS:
        sign_in = "refused"
        if u["expect"] in ("imported", "conflict"):
            sign_in = "ok" if u.get("scheme", "bcrypt") == "bcrypt" else "ok_rehashed"
            if u.get("truncated"):
                sign_in = "truncated"
        row = {
            "id": u["id"],
            "email": u["email"],
            # What Gatehouse signs in with: its normalised form (trimmed, NFC, lower case).
            "sign_in_email": unicodedata.normalize("NFC", u["email"].strip()).lower(),
            "password": u["password"],
            "password_bytes": len(u["password"].encode("utf-8")),
            "hash_format": {"bcrypt": "bcrypt", "pbkdf2_sha256": "pbkdf2-sha256", "argon2": "argon2id",
                            "md5_crypt": "md5-crypt"}[u.get("scheme", "bcrypt")],
            "created_at": u["created"],
            "updated_at": u["updated"],
            "email_accounts": len(u["accounts"]),
            "expect": u["expect"],
            "sign_in": sign_in,
        }
        if u["expect"] == "conflict":
            row.update(conflict_with=u["conflict_with"], created_first=u["created_first"],
                       most_recent=u["most_recent"])
        out.append(row)
    with open(SIDECAR, "w", encoding="utf-8") as f:
        json.dump({"about": about, "users": out}, f, indent=1, ensure_ascii=False)
        f.write("\n")


def main():
    write_db()
    check_db()
    for u in USERS:
        verify(u)
    sidecar()


if __name__ == "__main__":
    main()
