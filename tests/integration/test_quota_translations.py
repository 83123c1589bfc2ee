"""Quota pages are Chinese by default (catalogue completeness: test_i18n.py)."""


def test_pages_are_chinese(client):
    text = client.get("/quota/calculator").get_data(as_text=True)
    assert "残疾人就业保障金计算器" in text
