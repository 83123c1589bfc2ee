"""The follow-up messages in words, in the request's language (or one forced with force_locale):
what timing.py decides (the kind of follow-up, who signs it) rendered through gettext."""

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from followup import timing

# kind -> (the text without a name, the text greeting the person by name)
_TEXTS = {
    timing.FollowUpKind.CADENCE: (
        _l(
            "Hello, your job counselor would like to hear how your job search is going. Log in to see new job suggestions, or reply to get in touch."
        ),
        _l(
            "Hello %(name)s, your job counselor would like to hear how your job search is going. Log in to see new job suggestions, or reply to get in touch."
        ),
    ),
    timing.FollowUpKind.RETENTION_1M: (
        _l(
            "Hello, you started your job a month ago. How is it going? If you need changes or support at work, tell your job counselor."
        ),
        _l(
            "Hello %(name)s, you started your job a month ago. How is it going? If you need changes or support at work, tell your job counselor."
        ),
    ),
    timing.FollowUpKind.RETENTION_3M: (
        _l(
            "Hello, you have been in your job for three months. How is it going? If anything is hard, tell your job counselor."
        ),
        _l(
            "Hello %(name)s, you have been in your job for three months. How is it going? If anything is hard, tell your job counselor."
        ),
    ),
    timing.FollowUpKind.RETENTION_6M: (
        _l(
            "Hello, you have been in your job for six months. This is our last check-in. Contact your job counselor any time you need help."
        ),
        _l(
            "Hello %(name)s, you have been in your job for six months. This is our last check-in. Contact your job counselor any time you need help."
        ),
    ),
}
assert set(_TEXTS) == set(timing.FollowUpKind)


def follow_up_text(kind: str, name_hint: str | None = None) -> str:
    """A short plain-language message that never carries an ID or certificate number."""
    if name_hint is not None and timing.contains_sensitive_number(name_hint):
        raise ValueError("name_hint must not contain an ID or certificate number")
    plain, named = _TEXTS[timing.FollowUpKind(kind)]
    return str(named) % {"name": name_hint} if name_hint else str(plain)


def contact_line(contact: timing.Contact) -> str:
    """One line naming the counselor and how to reach them; only what is known."""
    parts = [_("Your job counselor: %(name)s", name=contact.name or _("not assigned yet"))]
    if contact.phone:
        parts.append(_("telephone %(phone)s", phone=contact.phone))
    if contact.email:
        parts.append(_("e-mail %(email)s", email=contact.email))
    locale = get_locale()  # the forced one in a job too (core.i18n.lang needs a request)
    separator = "，" if locale is None or locale.language == "zh" else ", "
    return separator.join(parts) + _(". You can reply to this message in the app.")


def signed_text(
    kind: str, language: str, contact: timing.Contact, name_hint: str | None = None
) -> str:
    """The follow-up text in `language`, then the line that names the counselor and how to reach
    them."""
    with force_locale(language):
        return f"{follow_up_text(kind, name_hint)}\n{contact_line(contact)}"
