"""Registry logins, as `dkr login` / `dkr logout` report them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LoginResult:
    """The Engine's answer to POST /auth: its status line ("Login Succeeded") and the identity token the
    registry may give in place of the password."""

    status: str
    identity_token: str = ""

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> LoginResult:
        return cls(str(data.get("Status") or ""), str(data.get("IdentityToken") or ""))


@dataclass(frozen=True)
class Stored:
    """Where a login's secret went: `helper` (docker-credential-<helper>), or None for config.json itself."""

    path: Path
    helper: str | None
    #: a password (not a token) was written into config.json, which docker warns about
    warn_unencrypted: bool
