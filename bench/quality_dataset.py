"""The labelled matching-quality data set of ``bench/quality_data/`` (issue 11), loaded and checked.

    from bench.quality_dataset import load
    dataset = load()  # or load(some_directory)
    dataset.offers["o01"].title, dataset.profiles["p001"].themes, dataset.judgements[0].relevance

``load`` reads ``offers.json``, ``profiles.json`` and ``judgements.csv`` (their format is in
``bench/quality_data/README.md``) and raises ``ValueError`` naming the file and the item or row
when something is wrong: a duplicate id, a judgement about an offer or profile that does not
exist, a slug or code that is not in ``matchmaking.vocabularies``, a relevance outside 0..3, an
unknown tag, dates out of order. It needs neither Django settings nor a database.
"""

import ast
import csv
import datetime
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIRECTORY = ROOT / "bench" / "quality_data"


def vocabulary_codes(name: str) -> frozenset[str]:
    """The slugs or codes of the list ``name`` in matchmaking/vocabularies.py, read from the
    file's syntax tree: importing the module would need Django settings (its names go through
    gettext_noop) and importing the ``matchmaking`` package starts its Celery app."""
    tree = ast.parse((ROOT / "matchmaking" / "vocabularies.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return frozenset(ast.literal_eval(entry.elts[0]) for entry in node.value.elts)
    raise LookupError(f"no list {name} in matchmaking/vocabularies.py")


EXCHANGE_TYPES = vocabulary_codes("EXCHANGE_TYPES")
THEMES = vocabulary_codes("THEMES")
FIELDS_OF_EDUCATION = vocabulary_codes("FIELDS_OF_EDUCATION")
LANGUAGES = vocabulary_codes("LANGUAGES")
# A text's language may also be written "nb" (Norwegian Bokmål, the site's own code for
# Norwegian); working languages use the vocabulary's "no".
TEXT_LANGUAGES = LANGUAGES | {"nb"}
ORGANISATION_KINDS = frozenset(
    {
        "authority",
        "vet",
        "school",
        "higher_education",
        "adult_education",
        "employment_service",
        "ngo",
        "employer",
        "other",
    }
)
TARGET_GROUPS = frozenset({"staff", "learners"})
TAGS = frozenset(
    {
        "hard_negative_type",
        "hard_negative_dates",
        "hard_negative_subject",
        "hard_negative_language",
    }
)
JUDGEMENT_COLUMNS = ["offer", "profile", "relevance", "tags", "note"]


@dataclass(frozen=True)
class Organisation:
    name: str
    country: str
    region_name: str
    kind: str


@dataclass(frozen=True)
class Offer:
    id: str
    title: str
    description: str
    programme: str
    text_language: str
    host: Organisation
    exchange_type: str
    target_group: str
    themes: tuple[str, ...]
    fields_of_education: tuple[str, ...]
    languages: tuple[str, ...]
    available_from: datetime.date
    available_until: datetime.date
    fixed_dates: bool
    duration_days: float
    capacity: int
    supports_fewer_opportunities: bool
    published_on: datetime.date


@dataclass(frozen=True)
class Profile:
    id: str
    organisation: Organisation
    text_language: str
    exchange_types: tuple[str, ...]
    themes: tuple[str, ...]
    fields_of_education: tuple[str, ...]
    countries_wanted: tuple[str, ...]  # empty: anywhere
    languages: tuple[str, ...]
    window_from: datetime.date | None
    window_until: datetime.date | None
    participants: int
    fewer_opportunities_participants: int
    description: str


@dataclass(frozen=True)
class Judgement:
    offer: Offer
    profile: Profile
    relevance: int  # 0..3
    tags: frozenset[str]
    note: str

    @property
    def cross_language(self) -> bool:
        """The offer's text and the profile's text are in different languages."""
        return self.offer.text_language != self.profile.text_language

    @property
    def hard_negative(self) -> bool:
        return bool(self.tags)


@dataclass(frozen=True)
class Dataset:
    offers: dict[str, Offer]
    profiles: dict[str, Profile]
    judgements: list[Judgement]


def unmet_requirements(offer: Offer, profile: Profile) -> frozenset[str]:
    """The hard requirements of the judging rubric that the pair does not meet (README.md):
    ``type`` (the exchange type is not sought), ``dates`` (no day of the offer's availability
    in the profile's window), ``language`` (no shared working language), ``country`` (the
    host's country is not wanted), ``capacity`` (more participants than places). Any of them
    makes the pair relevance 0; none of them is what a filter-only baseline keeps."""
    unmet = set()
    if offer.exchange_type not in profile.exchange_types:
        unmet.add("type")
    if profile.window_from is not None and (
        offer.available_until < profile.window_from or offer.available_from > profile.window_until
    ):
        unmet.add("dates")
    if not set(offer.languages) & set(profile.languages):
        unmet.add("language")
    if profile.countries_wanted and offer.host.country not in profile.countries_wanted:
        unmet.add("country")
    if profile.participants > offer.capacity:
        unmet.add("capacity")
    return frozenset(unmet)


def load(directory: str | Path | None = None) -> Dataset:
    """The data set in ``directory`` (default: ``bench/quality_data`` beside this module)."""
    directory = Path(directory) if directory is not None else DEFAULT_DIRECTORY
    offers = _by_id(directory / "offers.json", _offer)
    profiles = _by_id(directory / "profiles.json", _profile)
    judgements = _judgements(directory / "judgements.csv", offers, profiles)
    return Dataset(offers=offers, profiles=profiles, judgements=judgements)


def _by_id(path: Path, build) -> dict:
    with open(path, encoding="utf-8") as file:
        try:
            items = json.load(file)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path.name}: not valid JSON: {error}") from None
    if not isinstance(items, list):
        raise ValueError(f"{path.name}: expected a JSON list")
    result = {}
    for position, item in enumerate(items):
        where = f"{path.name}, item {position} ({_id_of(item)})"
        try:
            built = build(item)
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{where}: {_reason(error)}") from None
        if built.id in result:
            raise ValueError(f"{where}: duplicate id {built.id!r}")
        result[built.id] = built
    return result


def _offer(item: dict) -> Offer:
    _expect_keys(item, Offer)
    offer = Offer(
        id=_text(item, "id"),
        title=_text(item, "title"),
        description=_text(item, "description"),
        programme=_text(item, "programme", blank=True),
        text_language=_one_of(item, "text_language", TEXT_LANGUAGES),
        host=_organisation(item["host"]),
        exchange_type=_one_of(item, "exchange_type", EXCHANGE_TYPES),
        target_group=_one_of(item, "target_group", TARGET_GROUPS),
        themes=_list_of(item, "themes", THEMES, empty=False),
        fields_of_education=_list_of(item, "fields_of_education", FIELDS_OF_EDUCATION),
        languages=_list_of(item, "languages", LANGUAGES, empty=False),
        available_from=_date(item, "available_from"),
        available_until=_date(item, "available_until"),
        fixed_dates=_bool(item, "fixed_dates"),
        duration_days=_number(item, "duration_days"),
        capacity=_integer(item, "capacity", minimum=1),
        supports_fewer_opportunities=_bool(item, "supports_fewer_opportunities"),
        published_on=_date(item, "published_on"),
    )
    if offer.available_until < offer.available_from:
        raise ValueError("available_until is before available_from")
    if offer.published_on > offer.available_from:
        raise ValueError("published_on is after available_from")
    if offer.duration_days <= 0:
        raise ValueError("duration_days must be > 0")
    span = (offer.available_until - offer.available_from).days + 1
    if offer.duration_days > span:
        raise ValueError(f"duration_days {offer.duration_days} is longer than the {span} days")
    return offer


def _profile(item: dict) -> Profile:
    _expect_keys(item, Profile)
    window_from = _date(item, "window_from", null=True)
    window_until = _date(item, "window_until", null=True)
    profile = Profile(
        id=_text(item, "id"),
        organisation=_organisation(item["organisation"]),
        text_language=_one_of(item, "text_language", TEXT_LANGUAGES),
        exchange_types=_list_of(item, "exchange_types", EXCHANGE_TYPES, empty=False),
        themes=_list_of(item, "themes", THEMES, empty=False),
        fields_of_education=_list_of(item, "fields_of_education", FIELDS_OF_EDUCATION),
        countries_wanted=tuple(_country(code) for code in _list(item, "countries_wanted")),
        languages=_list_of(item, "languages", LANGUAGES, empty=False),
        window_from=window_from,
        window_until=window_until,
        participants=_integer(item, "participants", minimum=1),
        fewer_opportunities_participants=_integer(item, "fewer_opportunities_participants"),
        description=_text(item, "description"),
    )
    if (window_from is None) != (window_until is None):
        raise ValueError("window_from and window_until are both dates or both null")
    if window_from is not None and window_until < window_from:
        raise ValueError("window_until is before window_from")
    if profile.fewer_opportunities_participants > profile.participants:
        raise ValueError("fewer_opportunities_participants is more than participants")
    return profile


def _judgements(path: Path, offers: dict, profiles: dict) -> list[Judgement]:
    result = []
    seen = set()
    with open(path, encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames != JUDGEMENT_COLUMNS:
            raise ValueError(f"{path.name}: header must be {','.join(JUDGEMENT_COLUMNS)}")
        for row in reader:
            where = f"{path.name}, line {reader.line_num} ({row.get('offer')},{row.get('profile')})"
            if None in row or None in row.values():
                raise ValueError(f"{where}: expected {len(JUDGEMENT_COLUMNS)} columns")
            offer = offers.get(row["offer"])
            if offer is None:
                raise ValueError(f"{where}: no offer {row['offer']!r} in offers.json")
            profile = profiles.get(row["profile"])
            if profile is None:
                raise ValueError(f"{where}: no profile {row['profile']!r} in profiles.json")
            if (offer.id, profile.id) in seen:
                raise ValueError(f"{where}: the pair is judged twice")
            seen.add((offer.id, profile.id))
            if row["relevance"] not in {"0", "1", "2", "3"}:
                raise ValueError(
                    f"{where}: relevance must be 0, 1, 2 or 3, not {row['relevance']!r}"
                )
            tags = frozenset(tag for tag in row["tags"].split(";") if tag)
            if tags - TAGS:
                raise ValueError(f"{where}: unknown tags {sorted(tags - TAGS)}")
            note = row["note"].strip()
            if not note:
                raise ValueError(f"{where}: the note is empty")
            result.append(Judgement(offer, profile, int(row["relevance"]), tags, note))
    return result


def _expect_keys(item, cls) -> None:
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object")
    wanted = set(cls.__dataclass_fields__)
    missing, unknown = wanted - set(item), set(item) - wanted
    if missing or unknown:
        raise ValueError(f"missing keys {sorted(missing)}, unknown keys {sorted(unknown)}")


def _organisation(item) -> Organisation:
    if not isinstance(item, dict) or set(item) != {"name", "country", "region_name", "kind"}:
        raise ValueError("an organisation has exactly name, country, region_name and kind")
    return Organisation(
        name=_text(item, "name"),
        country=_country(item["country"]),
        region_name=_text(item, "region_name"),
        kind=_one_of(item, "kind", ORGANISATION_KINDS),
    )


def _text(item, key, *, blank=False) -> str:
    value = item[key]
    if not isinstance(value, str) or (not blank and not value.strip()):
        raise ValueError(f"{key} must be a non-empty string")
    return value


def _one_of(item, key, allowed) -> str:
    value = item[key]
    if value not in allowed:
        raise ValueError(f"{key} {value!r} is not one of {sorted(allowed)}")
    return value


def _list(item, key) -> list:
    value = item[key]
    if not isinstance(value, list):
        raise ValueError(f"{key} must be a list")
    if len(set(value)) != len(value):
        raise ValueError(f"{key} has duplicates")
    return value


def _list_of(item, key, allowed, *, empty=True) -> tuple[str, ...]:
    value = _list(item, key)
    unknown = [each for each in value if each not in allowed]
    if unknown:
        raise ValueError(f"{key}: {unknown} not in matchmaking.vocabularies")
    if not empty and not value:
        raise ValueError(f"{key} must not be empty")
    return tuple(value)


def _country(code) -> str:
    if not isinstance(code, str) or len(code) != 2 or not code.isalpha() or not code.isupper():
        raise ValueError(f"country {code!r} is not an ISO 3166 alpha-2 code")
    return code


def _date(item, key, *, null=False) -> datetime.date | None:
    value = item[key]
    if value is None and null:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} {value!r} is not a date YYYY-MM-DD") from None


def _bool(item, key) -> bool:
    if not isinstance(item[key], bool):
        raise ValueError(f"{key} must be true or false")
    return item[key]


def _integer(item, key, *, minimum=0) -> int:
    value = item[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{key} must be an integer >= {minimum}")
    return value


def _number(item, key) -> float:
    value = item[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number")
    return float(value)


def _id_of(item) -> str:
    return repr(item.get("id")) if isinstance(item, dict) else "?"


def _reason(error: Exception) -> str:
    return f"missing key {error}" if isinstance(error, KeyError) else str(error)
