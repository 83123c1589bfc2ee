"""The baseline of `make load`: a minimal Flask page served by gunicorn with the project's settings.

gunicorn -c gunicorn.conf.py bench.bare_app:app
"""

from flask import Flask

app = Flask(__name__)
PAGE = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>基线</title></head>'
    "<body><main><h1>基线页面</h1><p>A minimal page.</p></main></body></html>"
)


@app.get("/")
def page():
    return PAGE


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
