"""Serve the console and drive headless Chromium (Debian's package) against it.

Used by the browser tests and by `python -m tests.e2e.browser` to refresh the README screenshots:
`python -m tests.e2e.browser --out docs/screenshots [page ...]`.

Every way the console is started has a name in START_COMMANDS (the app.yaml one is read from app.yaml,
so the tests follow the deployed command). The port and address are passed the way Databricks Apps
passes them, as STREAMLIT_SERVER_* variables, so every command is started alike.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_COMMANDS = ("streamlit run", "telemetry serve", "app.yaml")
NO_CHROMIUM = ("Debian's chromium is not installed, so the browser tests cannot run: "
               "`apt-get install -y chromium` (.ci/run does this; Playwright's own download does not work here).")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_chromium(playwright):
    """Headless Debian Chromium; a RuntimeError saying how to install it when it is missing."""
    path = chromium_path()
    if path is None:
        raise RuntimeError(NO_CHROMIUM)
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _resolve(argv: list[str]) -> list[str]:
    """A command as a deployment writes it (`python …`, `streamlit …`), run with this interpreter."""
    if argv and argv[0] in ("python", "python3", "python3.11"):
        return [sys.executable, *argv[1:]]
    if argv and argv[0] == "streamlit":
        return [sys.executable, "-m", "streamlit", *argv[1:]]
    return argv


def app_yaml_command(root: Path = ROOT) -> list[str]:
    """The `command:` of app.yaml (what Databricks Apps runs), resolved to this interpreter."""
    import yaml

    command = yaml.safe_load((root / "app.yaml").read_text()).get("command")
    if not command:
        raise RuntimeError(f"{root / 'app.yaml'} has no command")
    return _resolve([str(part) for part in command])


def start_command(name: str, root: Path = ROOT) -> list[str]:
    """The argv of a named start command (one of START_COMMANDS)."""
    if name == "streamlit run":
        return _resolve(["streamlit", "run", "streamlit_app.py"])
    if name == "telemetry serve":
        return _resolve(["python", "-m", "telemetry", "serve"])
    if name == "app.yaml":
        return app_yaml_command(root)
    raise ValueError(f"unknown start command {name!r}; use one of {START_COMMANDS}")


def _wait_healthy(base: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).status == 200:
                return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"streamlit did not start (exit code {proc.poll()}); its output:\n{tail}")


_ISOLATED_PREFIXES = ("TELEMETRY_", "DATABRICKS_", "STREAMLIT_")


def _server_environment(env: dict[str, str] | None, isolated: bool) -> dict[str, str]:
    """This process's environment without the developer's console, Databricks and Streamlit
    settings (when `isolated`), plus `env`."""
    inherited = {name: value for name, value in os.environ.items()
                 if not (isolated and name.startswith(_ISOLATED_PREFIXES))}
    if isolated:
        inherited["DATABRICKS_CONFIG_FILE"] = "/nonexistent/.databrickscfg"
    return {**inherited, **(env or {})}


@contextlib.contextmanager
def serve(env: dict[str, str] | None = None, command: str | list[str] = "telemetry serve",
          root: Path = ROOT, *, isolated: bool = True) -> Iterator[str]:
    """Start the console on a free port with a named start command (or an argv); yield its base URL.

    Each call is a fresh server process, so Streamlit decides its multipage mode anew (the first
    request after the start is the one that matters). `root` is the project tree it runs in;
    `isolated` drops the inherited TELEMETRY_/DATABRICKS_/STREAMLIT_ variables (only `env` counts)."""
    port = _free_port()
    argv = start_command(command, root) if isinstance(command, str) else command
    server_env = {**_server_environment(env, isolated), "STREAMLIT_SERVER_PORT": str(port),
                  "STREAMLIT_SERVER_ADDRESS": "127.0.0.1", "STREAMLIT_SERVER_HEADLESS": "true",
                  "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    with tempfile.NamedTemporaryFile("w+b", prefix="streamlit-", suffix=".log", delete=False) as log:
        proc = subprocess.Popen(argv, cwd=root, env=server_env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc, Path(log.name))
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        Path(log.name).unlink(missing_ok=True)


# The app root's script state (what Streamlit's own e2e tests wait on); the status widget shows late.
_SCRIPT_DONE = ("() => document.querySelector('[data-testid=\"stApp\"][data-test-script-state=\"notRunning\"]')"
                " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0")
# Something the script drew: every page starts with st.title; a login form may come without one.
_SCRIPT_DREW = "[data-testid='stMain'] h1, [data-testid='stMain'] input[type='password']"


def wait_until_idle(page, settle_ms: int = 1500) -> None:
    """Wait until the script has drawn its title and finished (and `settle_ms` more, for charts
    to draw and follow-up reruns to start; then for the script again)."""
    page.wait_for_selector(_SCRIPT_DREW, timeout=60000)
    page.wait_for_function(_SCRIPT_DONE, timeout=60000)
    page.wait_for_timeout(settle_ms)
    page.wait_for_function(_SCRIPT_DONE, timeout=60000)


def open_page(browser, url: str, width: int = 1440, height: int = 900, *,
              headers: dict[str, str] | None = None, settle_ms: int = 1500):
    """Load `url` in a new browser context (a fresh session, own cookies) and wait for the script.

    `headers` are sent with every request, the websocket handshake included (what a proxy, or a
    spoofing client, would send). Close the page's context with `page.context.close()`."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  extra_http_headers=headers or None)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_until_idle(page, settle_ms)
    return page


@dataclass(frozen=True)
class Seen:
    """What a page showed: the main area's and the sidebar's text, the page menu (None: no menu),
    whether the login form is there, and any modal dialog's text (e.g. Streamlit's "Page not found")."""

    url: str
    main: str
    sidebar: str
    menu: str | None
    login_form: bool
    dialogs: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.url}\n  menu: {self.menu!r}\n  sidebar: {self.sidebar[-300:]!r}\n"
                f"  main: {self.main[:400]!r}\n  dialogs: {self.dialogs!r}")


def seen(page) -> Seen:
    """Read what `page` shows now (see Seen)."""
    def text(selector: str) -> str:
        node = page.query_selector(selector)
        return node.inner_text() if node else ""

    main = text("[data-testid='stMain']")
    menu = page.query_selector("[data-testid='stSidebarNav']")
    login = page.query_selector("[data-testid='stMain'] input[type='password']") is not None and "Username" in main
    dialogs = tuple(d.inner_text() for d in page.query_selector_all("[role='dialog']"))
    return Seen(page.url, main, text("[data-testid='stSidebar']"), menu.inner_text() if menu else None,
                login, dialogs)


def look(browser, url: str, *, headers: dict[str, str] | None = None, settle_ms: int = 300) -> Seen:
    """Open `url` in a fresh session, read what it shows, close the session."""
    page = open_page(browser, url, headers=headers, settle_ms=settle_ms)
    try:
        return seen(page)
    finally:
        page.context.close()


# After a submit: the form is gone (signed in) or a message is shown below it (refused).
_FORM_ANSWERED = ("() => !document.querySelector(\"[data-testid='stMain'] input[type='password']\")"
                  " || document.querySelector(\"[data-testid='stMain'] [data-testid='stAlert']\")")


def sign_in(page, username: str, password: str) -> None:
    """Fill the login form on `page` and submit it; wait for the next script run to finish."""
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Login").click()
    page.wait_for_function(_FORM_ANSWERED, timeout=60000)
    wait_until_idle(page, settle_ms=500)


def write_auth_file(path: Path, users: dict[str, tuple[str, str]], cookie_key: str | None = None) -> Path:
    """A streamlit-authenticator credentials YAML for TELEMETRY_AUTH_FILE.

    Args:
        users: username → (e-mail, password); passwords are stored bcrypt-hashed (Hasher).
        cookie_key: the login cookie's signing key (default: a random 43-character secret).
    """
    import secrets

    import yaml
    from streamlit_authenticator import Hasher

    credentials = {"usernames": {name: {"email": email, "name": name.title(), "password": Hasher.hash(password)}
                                 for name, (email, password) in users.items()}}
    cookie = {"name": "ops_console_test", "expiry_days": 1,
              "key": secrets.token_urlsafe(32) if cookie_key is None else cookie_key}
    path.write_text(yaml.safe_dump({"credentials": credentials, "cookie": cookie}))
    path.chmod(0o600)  # the console refuses a credentials file other users can read
    return path


def fit_to_content(page, width: int = 1440) -> None:
    """Grow the viewport to the app's scroll height (Streamlit scrolls an inner element, so a
    full-page screenshot would otherwise show one screen)."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 12000)})
    page.wait_for_timeout(800)


def screenshots(out: Path, url_paths: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with serve(isolated=False) as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        for url_path in url_paths:
            page = open_page(browser, f"{base}/{url_path}")
            target = out / f"{url_path.replace('/', '_').replace('?', '_').replace('=', '-') or 'home'}.png"
            fit_to_content(page)
            page.screenshot(path=str(target), full_page=True)
            saved.append(target)
            page.context.close()
        browser.close()
    return saved


def main() -> None:
    from telemetry import registry

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("pages", nargs="*", help="url paths (default: every registry page)")
    args = parser.parse_args()
    pages = args.pages or ["" if p.default else p.url_path for p in registry.PAGES]
    for path in screenshots(Path(args.out), pages):
        print(path)


if __name__ == "__main__":
    main()
