"""Two-factor sign-in: TOTP codes (RFC 6238, via pyotp), the set-up QR code, and single-use recovery codes."""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, select

from ..content.settings import get_setting, set_setting
from ..extensions import db
from ..models import RecoveryCode, Role, User, utcnow

RECOVERY_CODES = 10
# 32 letters and digits without 0/o, 1/l: 10 of them are 50 random bits, read aloud or typed without confusion.
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
TOTP, RECOVERY = "totp", "recovery"
REQUIRED_SETTING = "two_factor_required"
REQUIRED_ROLES = (Role.ADMIN, Role.EDITOR)


def new_secret() -> str:
    """Return a fresh random base32 secret (160 bits, RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str) -> str:
    """Return the otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=current_app.config["SITE_NAME"])


def qr_code(uri: str) -> dict:
    """Return the QR code of `uri` as an SVG data URI with its width and height in pixels, drawn here."""
    code = segno.make(uri, error="m")
    width, height = code.symbol_size(scale=4)
    return {"src": code.svg_data_uri(scale=4), "width": width, "height": height}


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    """Return the step whose code is `code` (now, or one step off for clock drift) if newer than `after`."""
    if not (code.isascii() and code.isdigit() and len(code) == 6):  # compare_digest refuses non-ASCII text
        return None
    totp = pyotp.TOTP(secret)
    now = time.time()
    for offset in (0, -1, 1):
        step = totp.timecode(now) + offset
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _digits(code: str) -> str:
    return "".join(code.split())


def code_matches_secret(secret: str, code: str) -> bool:
    """Tell whether `code` is the current TOTP code of a secret being set up."""
    return _matching_step(secret, _digits(code), None) is not None


def check_code(user: User, code: str) -> bool:
    """Accept a current TOTP code not used before; the caller commits (it records the code's step)."""
    step = _matching_step(user.totp_secret, _digits(code), user.totp_last_step) if user.totp_secret else None
    if step is None:
        return False
    user.totp_last_step = step
    return True


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code of `user` and mark it used; the caller commits."""
    normal = _normalise(code)
    if len(normal) != 10:
        return False
    row = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(normal), RecoveryCode.used_at.is_(None)
        )
    )
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def check_second_factor(user: User, code: str) -> str | None:
    """Accept a TOTP code or, failing that, a recovery code; say which (TOTP, RECOVERY) or None. The caller commits."""
    if check_code(user, code):
        return TOTP
    return RECOVERY if use_recovery_code(user, code) else None


def enable(user: User, secret: str) -> list[str]:
    """Turn two-factor sign-in on with `secret`; return the new recovery codes (shown once). The caller commits."""
    user.totp_secret = secret
    user.totp_last_step = None
    return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; return them as the user will type them."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def remaining_recovery_codes(user: User) -> int:
    """Return how many of the user's recovery codes are still unused."""
    stmt = select(db.func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    return db.session.scalar(stmt)


def disable(user: User) -> None:
    """Turn two-factor sign-in off and drop the recovery codes; the caller commits."""
    user.totp_secret = ""
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def is_required() -> bool:
    """Tell whether the site requires a second factor of admins and editors."""
    return get_setting(REQUIRED_SETTING) == "1"


def set_required(required: bool) -> None:
    """Require (or stop requiring) a second factor of admins and editors; the caller commits."""
    set_setting(REQUIRED_SETTING, "1" if required else "0")


def must_set_up(user: User) -> bool:
    """Tell whether `user` has to set up a second factor before using the newsroom."""
    return user.role in REQUIRED_ROLES and not user.has_two_factor and is_required()
