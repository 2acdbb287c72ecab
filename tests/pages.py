"""Reading a rendered page the way a person would: its text, a field's error, its offer cards."""

import html
import re
from urllib.parse import quote

from django.urls import reverse


def _plain(markup):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def text(response):
    """The page's visible text, tags stripped, entities decoded and whitespace collapsed."""
    return _plain(response.content.decode())


def field_error(response, name):
    """The error crispy renders under the field ``name`` (``""`` if there is none)."""
    match = re.search(
        rf'<div id="id_{name}_error"[^>]*>(.*?)</div>', response.content.decode(), re.DOTALL
    )
    return _plain(match.group(1)) if match else ""


def card_titles(response):
    """The titles of the offer cards on the page, in order."""
    return [
        html.unescape(title)
        for title in re.findall(
            r'<h2 class="card-title"><a href="[^"]*">(.*?)</a></h2>', response.content.decode()
        )
    ]


def login_url(next_path):
    return f"{reverse('account_login')}?next={quote(next_path, safe='/')}"


def heading(response):
    """The text of the page's first ``<h1>``."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.DOTALL)
    return _plain(match.group(1)) if match else ""


def submission_token(response):
    """The one-time token of the create form on the page (matchmaking.forms.SubmittedOnceMixin)."""
    match = re.search(r'name="submission_token" value="([^"]+)"', response.content.decode())
    assert match, "the page's form has no submission token"
    return match.group(1)
