"""The Spanish and Catalan interfaces: chosen by the browser, by the switcher, by the profile.

The catalogues (locale/es, locale/ca) are compiled to .mo files by the test command
(.ci/run runs compilemessages first); the .mo files are not in the repository.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.factories import UserFactory

OFFERS = "/offers/"


@pytest.fixture(autouse=True, scope="module")
def _compiled_catalogues():
    missing = [
        language
        for language in ("es", "ca")
        if not any(
            (Path(path) / language / "LC_MESSAGES" / "django.mo").exists()
            for path in settings.LOCALE_PATHS
        )
    ]
    if missing:
        pytest.fail(
            f"No compiled catalogue for {', '.join(missing)}: "
            "run `python manage.py compilemessages --ignore=.venv` first (.ci/run does)."
        )


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def page(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_offers_in_spanish_from_the_browser_language():
    html = page(Client(HTTP_ACCEPT_LANGUAGE="es").get(OFFERS))

    assert '<html lang="es">' in html
    assert "<h1>Ofertas de intercambio</h1>" in html
    assert "Ofertas de intercambio · Herramienta de matchmaking para la movilidad" in html
    # The main navigation and the account links.
    for label in ("Ofertas", "La asociación", "Eventos", "Iniciar sesión", "Registrarse"):
        assert f">{label}<" in html
    # Forms, plurals and vocabularies from the database are translated too.
    assert "Palabras clave" in html
    assert "0 ofertas" in html
    assert "Job shadowing (aprendizaje por observación)" in html
    assert "Exchange offers" not in html


@pytest.mark.django_db
def test_offers_in_catalan_from_the_browser_language():
    html = page(Client(HTTP_ACCEPT_LANGUAGE="ca").get(OFFERS))

    assert '<html lang="ca">' in html
    assert "<h1>Ofertes d'intercanvi</h1>" in html
    assert "Ofertes d'intercanvi · Eina de matchmaking per a la mobilitat" in html
    for label in ("Ofertes", "L'associació", "Esdeveniments", "Iniciar la sessió", "Registrar-se"):
        assert f">{label}<" in html
    assert "Paraules clau" in html
    assert "0 ofertes" in html
    assert "Job shadowing (aprenentatge per observació)" in html
    assert "Exchange offers" not in html


@pytest.mark.django_db
def test_the_language_switcher_makes_the_next_page_catalan():
    # The browser asks for Spanish; the visitor then picks Catalan in the switcher.
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    switcher = page(client.get(OFFERS))
    assert '<option value="ca" lang="ca">català</option>' in switcher

    response = client.post("/i18n/setlang/", {"language": "ca", "next": OFFERS})

    assert response.status_code == 302
    assert response["Location"] == OFFERS
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ca"
    html = page(client.get(response["Location"]))
    assert '<html lang="ca">' in html
    assert "<h1>Ofertes d'intercanvi</h1>" in html
    assert ">L'associació<" in html
    assert '<option value="ca" lang="ca" selected>català</option>' in html
    assert "Ofertas de intercambio" not in html


@pytest.mark.django_db
def test_a_signed_in_user_gets_their_preferred_language():
    user = UserFactory(preferred_language="es")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)

    html = page(client.get(OFFERS))

    assert "<h1>Ofertas de intercambio</h1>" in html
    assert ">Mi organización<" in html
    assert ">Cerrar sesión<" in html
