"""The one error a desk action raises when it may not happen: `Refused`, carrying its reason.

Every refusal (the role may not, the user is gone, the claim is in the wrong status, the
job is already running, the input is invalid) is a `Refused` with a message key of
`core.text.i18n` and its parameters, raised before anything is written. The screens show
`exc.message(lang)` and need not know which rule said no.
"""

from __future__ import annotations

from typing import Any

from core.text import i18n


class Refused(Exception):
    """A desk action that may not happen now; `message(lang)` says why in the person's language.

    `key` and `params` name the message in `core.text.i18n`; `str(exc)` is the Indonesian text.
    """

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(i18n.t(key, "id", **params))

    def message(self, lang: str = "id") -> str:
        return i18n.t(self.key, lang, **self.params)
