"""deploy/nginx.conf for real: Debian's nginx on loopback, a self-signed certificate made now by
openssl, in front of a real dashboard. HTTPS, the security headers, the HTTP redirect, a page
load in Chromium through it (the overview renders, so the WebSocket works), Streamlit's metrics
closed, and not one request from the page to another machine. Also: the dashboard listens on
127.0.0.1 unless told otherwise."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ipdata import service
from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, have_chromium, streamlit_server

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "ipdata.test"  # a name, not 127.0.0.1: Streamlit lets any origin on localhost through
pytestmark = pytest.mark.skipif(not Path(NGINX).exists() or shutil.which("openssl") is None,
                                reason="needs Debian's nginx and openssl (make setup installs them as root)")

HEADERS = {
    "strict-transport-security": "max-age=31536000",
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
}


def _certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={HOST}",
                    "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def _site(cert: Path, key: Path, http_port: int, https_port: int, upstream: int) -> str:
    """The shipped file with only its ports and certificate paths changed (IPv4 loopback)."""
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    swaps = [("listen 80;", f"listen 127.0.0.1:{http_port};"), ("listen [::]:80;", ""),
             ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
             ("listen [::]:443 ssl http2;", ""),
             ("/etc/ssl/ipdata/fullchain.pem", str(cert)), ("/etc/ssl/ipdata/privkey.pem", str(key)),
             ("http://127.0.0.1:8501", f"http://127.0.0.1:{upstream}")]
    for old, new in swaps:
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


@contextmanager
def nginx(tmp: Path, upstream: int) -> Iterator[tuple[int, int, Path]]:
    """nginx in the foreground with deploy/nginx.conf; yields (http port, https port, certificate)."""
    cert, key = _certificate(tmp)
    http_port, https_port = free_port(), free_port()
    (tmp / "site.conf").write_text(_site(cert, key, http_port, https_port, upstream), encoding="utf-8")
    temp = "\n".join(f"    {k}_temp_path {tmp / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, workers would drop to nobody, who cannot enter pytest's private tmp directory.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} info;
events {{ worker_connections 256; }}
http {{
    access_log {tmp / "access.log"};
{temp}
    include {tmp / "site.conf"};
}}
""", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")],
                           capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp / "error.log").read_text()) from None
                time.sleep(0.1)
        yield http_port, https_port, cert
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _get(port: int, path: str, cert: Path | None = None) -> http.client.HTTPResponse:
    """GET over HTTPS (verified against our certificate) or, without one, plain HTTP."""
    if cert is None:
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    else:
        con = http.client.HTTPSConnection("127.0.0.1", port, timeout=30,
                                          context=ssl.create_default_context(cafile=str(cert)))
    con.request("GET", path, headers={"Host": f"{HOST}:{port}"})
    response = con.getresponse()
    response.body = response.read()
    con.close()
    return response


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> Iterator[tuple[str, int, int, Path, str]]:
    """(Streamlit's own URL, nginx's HTTP port, HTTPS port, certificate, nginx's log dir)."""
    tmp = tmp_path_factory.mktemp("deploy")
    db = tmp / "demo.duckdb"
    service.load_demo(service.open_store(db))
    with streamlit_server(db, tmp / "streamlit.log") as url, \
            nginx(tmp, urlsplit(url).port) as (http_port, https_port, cert):
        yield url, http_port, https_port, cert, tmp


def test_https_answers_with_the_security_headers(deployed):
    _, _, https, cert, _ = deployed
    for path in ("/", "/_stcore/health", "/no-such-page"):
        r = _get(https, path, cert)
        assert r.status == 200, (path, r.status)
        for name, value in HEADERS.items():
            assert r.getheader(name) == value, (path, name, r.getheader(name))
        assert "frame-ancestors 'self'" in r.getheader("content-security-policy")
        assert "nginx/" not in (r.getheader("server") or "")  # no version to look up
    assert _get(https, "/_stcore/health", cert).body == b"ok"


def test_plain_http_only_redirects_to_https(deployed):
    _, http_port, https, _, _ = deployed
    r = _get(http_port, "/goal?code=x")
    assert r.status == 301
    assert r.getheader("location") == f"https://{HOST}/goal?code=x"
    assert b"<noscript>" not in r.body  # no page over plain HTTP


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics?format=json", "//_stcore/metrics",
                                  "/_stcore/./metrics", "/_stcore/metrics/", "/_stcore/agent/openapi.json"])
def test_metrics_are_closed_through_nginx(deployed, path):
    url, _, https, cert, _ = deployed
    r = _get(https, path, cert)
    assert r.status in (403, 404), (path, r.status, r.body[:200])
    assert b"session" not in r.body.lower()
    assert r.getheader("strict-transport-security") == HEADERS["strict-transport-security"]


def test_streamlit_itself_would_publish_its_metrics(deployed):
    """What the block is for: straight to Streamlit, /_stcore/metrics answers."""
    url = deployed[0]
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=30) as r:
        assert r.status == 200 and r.read()


# Every page through nginx, each with something only a finished run draws (charts, tables).
PAGES = [("goal?code=ip_standard_units_new", ".js-plotly-plot"), ("category", ".js-plotly-plot"),
         ("regions", ".js-plotly-plot"), ("tasks", "[data-testid=stMetric]"),
         ("export", "[data-testid=stDownloadButton]"), ("data", "[data-testid=stDataFrame]"),
         ("account", "input[type=password]")]


@pytest.mark.skipif(not have_chromium(), reason="needs Debian's chromium")
def test_the_overview_renders_through_nginx_and_asks_no_other_machine(deployed, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    _, _, https, _, logs = deployed
    base = f"https://{HOST}:{https}"
    requests, sockets, refused = [], [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"])
        context = browser.new_context(ignore_https_errors=True, viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("websocket", lambda ws: sockets.append(ws.url))
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(base)
        # drawn from WebSocket messages, a tile (face + link) at a time: wait for all of them
        page.wait_for_function("() => document.querySelectorAll('div.ip-tile').length >= 20", timeout=60_000)
        assert page.locator("div.ip-tile").count() == 20
        page.screenshot(path=tmp_path / "through-nginx.png")
        for path, shows in PAGES:
            page.goto(f"{base}/{path}")
            page.locator(shows).first.wait_for(timeout=60_000)
            assert page.get_by_text("内部错误").count() == 0, path
        browser.close()
    assert sockets and all(u.startswith(f"wss://{HOST}:{https}/_stcore/stream") for u in sockets), sockets
    others = {urlsplit(u).netloc for u in requests if not u.startswith(("data:", "blob:"))} - {f"{HOST}:{https}"}
    assert not others, others  # fonts, scripts, usage statistics: all from this server or none
    assert not refused, refused
    assert re.search(r'"GET /_stcore/stream HTTP/1\.1" 101 ', (logs / "access.log").read_text())


def _own_address() -> str | None:
    """This machine's address on its network, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_the_dashboard_listens_on_loopback_unless_told(tmp_path):
    """make run and make serve pass --server.address 127.0.0.1; and the script they run, started
    with the repository's config but no address at all, is reachable on 127.0.0.1 and refused on
    the machine's network address."""
    made = subprocess.run(["make", "-n", "run", "serve"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    runs = [line for line in made.stdout.splitlines() if "streamlit run" in line]
    assert len(runs) == 2 and all("--server.address 127.0.0.1" in line for line in runs), made.stdout
    script = runs[-1].split("streamlit run", 1)[1].split()[0]
    port = free_port()
    env = {**os.environ, "IPDATA_DB": str(tmp_path / "x.duckdb")}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / script),
                             "--server.port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "streamlit did not start"
                time.sleep(0.3)
        address = _own_address()
        if address is not None:
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=2).close()
    finally:
        proc.terminate()
        proc.wait(10)
