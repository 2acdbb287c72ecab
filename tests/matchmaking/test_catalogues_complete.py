"""Every catalogue is whole: no entry untranslated or left fuzzy (a fuzzy entry is not used,
so its English would show), in every language the site offers."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def _selected(po_file, selection):
    """The entries ``msgattrib`` selects (it adds the header when any other is selected)."""
    listed = subprocess.run(
        ["msgattrib", "--no-obsolete", selection, str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [block for block in listed.split("\n\n") if "msgid" in block][1:]


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES if code != "en"])
@pytest.mark.parametrize("selection", ["--untranslated", "--only-fuzzy"])
def test_the_catalogue_has_no_untranslated_or_fuzzy_entry(language, selection):
    po_file = LOCALE / language / "LC_MESSAGES" / "django.po"

    entries = _selected(po_file, selection)

    assert not entries, f"{len(entries)} entries ({selection}), e.g.:\n" + "\n\n".join(entries[:5])
