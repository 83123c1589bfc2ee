"""Issue #14, hostile input without logging in: every body is bounded before any work is done."""

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from http.client import HTTPConnection
from pathlib import Path

import pytest

from tests.integration.quota_helpers import calculator_body

URL = "/api/v1/quota/assess"
ROOT = Path(__file__).resolve().parents[2]


def post_raw(client, text: str, **headers):
    return client.post(URL, data=text, content_type="application/json", headers=headers)


def test_a_normal_body_still_works(client):
    assert client.post(URL, json=calculator_body()).status_code == 200


def test_a_5000_digit_integer_is_a_clear_422(client):
    text = json.dumps(calculator_body()).replace('"200"', "9" * 5000)
    response = post_raw(client, text, **{"Accept-Language": "en"})
    assert response.status_code == 422
    assert "more than 40 digits" in response.json["errors"]["_request"][0]


def test_a_long_integer_in_an_id_field_is_refused_not_a_crash(client):
    response = post_raw(client, json.dumps(calculator_body()).replace("2024", "2" * 4400))
    assert response.status_code == 422


def test_json_nested_1000_deep_is_a_clear_422(client):
    text = json.dumps(calculator_body())[:-1] + ', "x": ' + "[" * 1000 + "]" * 1000 + "}"
    response = post_raw(client, text, **{"Accept-Language": "en"})
    assert response.status_code == 422
    assert "nested deeper than 20 levels" in response.json["errors"]["_request"][0]


def test_brackets_inside_strings_do_not_count_as_nesting(client):
    response = client.post(URL, json=calculator_body(unit_type="[" * 100))
    assert response.status_code == 422
    assert "unit_type" in response.json["errors"]


def test_a_monthly_list_of_a_million_items_is_refused_before_work(client, app):
    months = "[" + ",".join(["1"] * 1_000_000) + "]"
    text = (
        json.dumps(calculator_body(headcount=None))[:-1] + ', "monthly_headcounts": ' + months + "}"
    )
    start = time.monotonic()
    response = post_raw(client, text)
    assert response.status_code in (413, 422)
    assert time.monotonic() - start < 5


def test_a_list_above_the_item_limit_is_a_422(client):
    months = [1] * 6000
    response = client.post(URL, json=calculator_body(headcount=None, monthly_headcounts=months))
    assert response.status_code == 422
    assert "_request" in response.json["errors"]


def test_a_13_month_list_is_refused_on_its_field(client, app):
    response = client.post(
        URL,
        json=calculator_body(headcount=None, monthly_headcounts=["10"] * 13),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.json["errors"]["monthly_headcounts"] == ["Length must be 12."]


def test_a_body_above_max_content_length_is_413_with_the_api_shape(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = post_raw(client, json.dumps(calculator_body(pad="x" * 2000)))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    assert response.status_code == 413
    assert list(response.json["errors"]) == ["_request"]


def test_a_json_body_above_its_own_limit_is_413(client, app):
    response = post_raw(client, json.dumps(calculator_body(pad="x" * (1024 * 1024 + 10))))
    assert response.status_code == 413


def test_a_large_form_post_is_413_with_an_error_page(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = client.post("/login", data={"username": "x" * 5000, "password": "y"})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    assert response.status_code == 413
    assert response.mimetype == "text/html"


_SERVER = textwrap.dedent(
    """
    import resource, sys
    from werkzeug.serving import make_server
    from core import create_app

    # The default limits (no MAX_CONTENT_LENGTH given here).
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                      "DATA_ENCRYPTION_KEY": "y"})
    server = make_server("127.0.0.1", int(sys.argv[1]), app)
    used = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
    cap = used + 150 * 1024 * 1024   # 150 MB more than the app needs to start
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    print("ready", flush=True)
    server.serve_forever()
    """
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc")
def test_a_large_body_is_refused_by_a_memory_capped_server_not_processed(tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("one run is enough: the server has its own in-memory database")
    port = _free_port()
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout.readline().strip() == "ready", server.stderr.read()
        # 200 MB of JSON: parsing it into Python objects would need several times the cap.
        chunk = ("1," * 500_000).encode()
        total = 200 * len(chunk)
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        connection.putrequest("POST", URL)
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(total + 2))
        connection.endheaders()
        try:
            connection.send(b"[")
            for _ in range(200):
                connection.send(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed without reading the body: what we want
        response = connection.getresponse()
        assert response.status == 413
        assert list(json.loads(response.read())["errors"]) == ["_request"]
        connection.close()
        health = HTTPConnection("127.0.0.1", port, timeout=10)
        health.request("GET", "/api/v1/divisions")
        assert health.getresponse().status == 200  # the worker is alive and still answering
        assert server.poll() is None
    finally:
        server.kill()
        server.wait()
