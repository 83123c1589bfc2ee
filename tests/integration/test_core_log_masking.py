"""Issue #14: a full ID number never reaches any log unmasked (gunicorn's access log included), and a
search for a full ID number finds the person through the blind index."""

import logging
import os
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

import pytest

from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def _number(person_county="330106"):
    cert = factories.certificate_number(person_county)
    return cert, cert[:18]


def test_search_by_a_full_id_or_certificate_number_finds_the_person(
    client, auth, api_headers, counselor
):
    person = factories.make_person(county="330106", name="全号查找")
    factories.make_person(county="330106", name="别人")
    from core.services import cipher

    rid = cipher().decrypt(person.id_cipher)
    cert = cipher().decrypt(person.cert_cipher)
    for q in (rid, cert, rid.lower()):
        found = client.get(f"/api/v1/people?q={q}", headers=api_headers(counselor)).json
        assert [p["id"] for p in found] == [person.id], q
    auth.login(counselor)
    page = client.get(f"/people?q={rid}").get_data(as_text=True)
    assert "全号查找" in page and "别人" not in page


def test_a_full_number_of_another_county_finds_nobody(client, api_headers, counselor):
    person = factories.make_person(county="330212")
    from core.services import cipher

    rid = cipher().decrypt(person.id_cipher)
    assert client.get(f"/api/v1/people?q={rid}", headers=api_headers(counselor)).json == []


def test_werkzeug_and_library_loggers_are_masked(app, caplog):
    _cert, rid = _number()
    caplog.set_level(logging.INFO)
    logging.getLogger("werkzeug").info('"GET /people?q=%s HTTP/1.1" 200 -', rid)
    logging.getLogger("some.library").warning("looked up %s", rid)
    assert rid not in caplog.text
    assert rid[:6] + "********" + rid[-4:] in caplog.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="gunicorn")
def test_gunicorn_access_log_masks_numbers(tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("one run is enough: the server has its own database")
    cert, rid = _number()
    port = _free_port()
    env = {
        **os.environ,
        "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'log.db'}",
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    connection = HTTPConnection("127.0.0.1", port, timeout=5)
                    connection.request("GET", f"/people?q={rid}")
                    connection.getresponse().read()
                    break
                except OSError:
                    assert time.monotonic() < deadline, log_path.read_text()
                    time.sleep(0.3)
            connection = HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", f"/api/v1/people?q={cert}", headers={"Referer": f"/x/{rid}"})
            connection.getresponse().read()
            time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log_path.read_text()
    assert "GET /people?q=" in text and "GET /api/v1/people?q=" in text, text
    assert rid not in text and cert not in text
    assert rid[:6] + "********" + rid[-4:] in text
