"""Every message people read, in Bahasa Indonesia (the default) and English.

`t(key, lang, **params)` looks a key up and fills its `{placeholders}`. Amounts named
`total` or `amount` are written as Rupiah, other integers with the language's thousands
separator, so callers pass raw numbers. Status, kabupaten and benefit labels are not here:
they are reference data (`Reference.label`). A missing key raises KeyError: tests check
every key used in the code exists in both languages.

The texts are data, in the YAML files of `messages/` beside this module, read once at
import: the application's in app.yaml, the desk pages' in desk.yaml (so the two halves of
the web app grow their catalogues without editing the same lines), a schedule's words
(`core.text.cron_words`) in cron.yaml. A key may be defined in one file only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from core.text import fmt

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANG = "id"
MONEY_PARAMS = frozenset({"total", "amount"})
ROLE_PARAMS = frozenset({"role", "needed"})  # role codes, shown as their labels
CATALOGUE_DIR = Path(__file__).resolve().parent / "messages"


class _UniqueKeys(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when built
    """Safe loading; a key written twice would silently keep only its last text: refuse it instead."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"key {key!r} written twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def load_catalogue(path: Path) -> dict[str, tuple[str, str]]:
    """One catalogue file: key -> (Indonesian, English); ValueError names a malformed entry."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeys)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping of message keys")
    messages = {}
    for key, texts in data.items():
        if not (isinstance(texts, dict) and set(texts) == set(LANGUAGES)
                and all(isinstance(text, str) for text in texts.values())):
            raise ValueError(f"{path.name}: {key}: expected the texts id and en, got {texts!r}")
        messages[key] = (texts["id"], texts["en"])
    return messages


def load_catalogues(folder: Path = CATALOGUE_DIR) -> dict[str, tuple[str, str]]:
    """Every catalogue file of `folder` merged; a key may be defined in only one file."""
    merged: dict[str, tuple[str, str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        messages = load_catalogue(path)
        twice = sorted(messages.keys() & merged.keys())
        if twice:
            raise ValueError(f"{path.name}: keys already defined in another catalogue: {', '.join(twice)}")
        merged.update(messages)
    return merged


# key: (Indonesian, English)
MESSAGES: dict[str, tuple[str, str]] = load_catalogues()


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The message `key` in `lang` with `params` filled in; raises KeyError for an unknown key."""
    text = MESSAGES[key][1 if lang == "en" else 0]
    if not params:
        return text
    return text.format(**{name: _show(name, value, lang) for name, value in params.items()})


def _show(name: str, value: Any, lang: str) -> Any:
    if name in ROLE_PARAMS and isinstance(value, str):
        return role_label(value, lang)
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return fmt.rupiah(value) if name in MONEY_PARAMS else fmt.number(value, lang)


def role_label(role: str, lang: str = DEFAULT_LANG) -> str:
    key = f"role.{role}"
    return t(key, lang) if key in MESSAGES else role
