"""Secrets generated into instance/ are created once, even when several workers start together."""

from concurrent.futures import ThreadPoolExecutor

from core import config


def test_workers_starting_together_share_one_secret(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    with ThreadPoolExecutor(8) as pool:
        values = set(pool.map(lambda _: config._stored_secret("secret_key"), range(32)))
    assert len(values) == 1
    assert (tmp_path / "secret_key").read_text().strip() in values
