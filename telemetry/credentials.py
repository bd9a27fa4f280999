"""The self-hosted login's credentials file (streamlit-authenticator's YAML), written safely.

Password hashes and the cookie key must never be readable by other users or end up in a commit, so the
file is written owner-only in one rename, and a path git would commit is refused. `python -m telemetry
users add` (telemetry/cli.py) is the command in front of it.
"""

from __future__ import annotations

import os
from pathlib import Path

from telemetry.config import PROJECT_ROOT


class CredentialsError(ValueError):
    """A credentials file that cannot be written safely or read; the message says what to do."""


def add_user(path: Path, email: str, password: str, name: str | None = None) -> tuple[bool, str]:
    """Store `email` with a bcrypt hash of `password` in the streamlit-authenticator YAML at `path`.

    A new file gets a random cookie key; an e-mail already there (any username) gets the new password.
    The file is written beside itself and renamed, mode 0600 from the start (it holds password hashes
    and the cookie key). Returns (file created, the username to sign in with)."""
    import secrets

    from streamlit_authenticator import Hasher

    from telemetry.config import MIN_COOKIE_KEY_CHARS

    _refuse_tracked(path)
    created = not path.exists()
    cfg = {"credentials": {"usernames": {}}, "cookie": {"name": "ops_console", "expiry_days": 7}} if created \
        else _read_credentials(path)
    cookie = cfg.setdefault("cookie", {}) or {}
    if len(str(cookie.get("key") or "")) < MIN_COOKIE_KEY_CHARS:
        cookie["key"] = secrets.token_urlsafe(32)
    cfg["cookie"] = cookie
    users = cfg["credentials"].setdefault("usernames", {}) or {}
    username = next((u for u, e in users.items() if str((e or {}).get("email", "")).lower() == email.lower()),
                    email.lower())
    entry = dict(users.get(username) or {})
    entry.update(email=email, password=Hasher.hash(password))
    entry["name"] = name or entry.get("name") or email.split("@")[0].replace(".", " ").title()
    users[username] = entry
    cfg["credentials"]["usernames"] = users
    _write_private(path, cfg)
    return created, username


def _read_credentials(path: Path) -> dict:
    import yaml

    try:
        cfg = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as err:
        raise CredentialsError(f"{path} cannot be read as YAML ({err}); fix or move it first.") from None
    if not isinstance(cfg, dict) or not isinstance(cfg.get("credentials", {}), dict):
        raise CredentialsError(f"{path} is not a streamlit-authenticator credentials file "
                               "(credentials → usernames → name, email, password); nothing was written.")
    cfg.setdefault("credentials", {})
    return cfg


def _refuse_tracked(path: Path) -> None:
    """Refuse a path inside a git work tree unless git ignores it (hashes must never be committed)."""
    import shutil
    import subprocess

    folder = path.parent
    if not folder.is_dir():
        raise CredentialsError(f"{folder} does not exist; create it first (outside the repository).")
    git = shutil.which("git")
    if git is None:
        if PROJECT_ROOT in path.parents:
            raise CredentialsError(f"{path} is inside the console's repository and git is not installed to tell "
                                   "whether it is ignored: keep the credentials file outside it.")
        return
    top = subprocess.run([git, "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if top.returncode != 0:
        return  # not in a work tree
    ignored = subprocess.run([git, "-C", str(folder), "check-ignore", "-q", str(path)], capture_output=True)
    if ignored.returncode != 0:
        raise CredentialsError(f"{path} is inside the git work tree {top.stdout.strip()} and git does not ignore "
                               "it: a commit could publish the password hashes and the cookie key. Put it outside "
                               "the repository (e.g. ~/.config/ops-console/auth.yaml) or in an ignored folder.")


def _write_private(path: Path, cfg: dict) -> None:
    """Write `cfg` as YAML readable by its owner only, replacing `path` in one rename."""
    import tempfile

    import yaml

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # created with mode 0600
    try:
        with os.fdopen(fd, "w") as out:
            yaml.safe_dump(cfg, out, sort_keys=False)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
