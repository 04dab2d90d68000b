"""Generate the catalog-derived parts of the Rasa data, never maintained by hand:

- bot/data/nlu/lookups.yml: lookup tables (matter, policy, place, department) and
  synonyms (alias -> official name);
- bot/jieba/userdict.txt: the JiebaTokenizer user dictionary (names and aliases).

Run with the app environment: make bot-data
"""

from __future__ import annotations

import sys

import yaml

from catalog.loader import load_catalog
from knowledge.settings import REPO_ROOT, get_settings

HEADER = "# Generated from the catalog by tools/generate_bot_data.py (make bot-data). Do not edit.\n"


def main() -> int:
    catalog = load_catalog(get_settings().catalog_dir)
    matters = {m.name: list(m.aliases) for m in catalog.matters.values()}
    matters.update({t.name: list(t.aliases) for t in catalog.themes.values()})
    policies = {p.name: list(p.aliases) for p in catalog.policies.values()}
    places = {p.name: list(p.aliases) for p in catalog.hall.places}
    departments = {d.short_name: [d.name] for d in catalog.departments.values()}

    nlu: list[dict[str, str]] = []
    for entity, names in (("matter", matters), ("policy", policies), ("place", places), ("department", departments)):
        values = sorted({v for name, aliases in names.items() for v in (name, *aliases)})
        nlu.append({"lookup": entity, "examples": "".join(f"- {v}\n" for v in values)})
    seen: set[str] = set()
    for names in (matters, policies, places):
        for name, aliases in sorted(names.items()):
            fresh = [a for a in aliases if a not in seen and a != name]
            seen.update(fresh)
            if fresh:
                nlu.append({"synonym": name, "examples": "".join(f"- {a}\n" for a in fresh)})

    lookups = REPO_ROOT / "bot" / "data" / "nlu" / "lookups.yml"
    with lookups.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        yaml.dump({"version": "3.1", "nlu": nlu}, handle, allow_unicode=True, sort_keys=False, width=1000,
                  Dumper=_LiteralDumper)

    words = sorted({w for group in (matters, policies, places, departments) for n, a in group.items() for w in (n, *a)})
    userdict = REPO_ROOT / "bot" / "jieba" / "userdict.txt"
    userdict.parent.mkdir(parents=True, exist_ok=True)
    userdict.write_text("".join(f"{w.replace(' ', '')} 20000 n\n" for w in words if " " not in w), encoding="utf-8")
    print(f"wrote {lookups.relative_to(REPO_ROOT)} and {userdict.relative_to(REPO_ROOT)} ({len(words)} terms)")
    return 0


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line strings as YAML block literals, the way Rasa's examples look."""


def _literal(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _literal)

if __name__ == "__main__":
    sys.exit(main())
