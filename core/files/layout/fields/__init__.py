"""Field types of a layout, by the name a layout file uses (`type: nik`)."""

from core.files.layout.fields.base import CONTROL_CLASS, Field, OptionError
from core.files.layout.fields.choices import ChoiceField, CodeField, EnumField, choice_regex
from core.files.layout.fields.dates import DateField, TimestampField
from core.files.layout.fields.nik import NikField, nik_problem
from core.files.layout.fields.numbers import MAX_AMOUNT, MAX_INTEGER, AmountField, IntegerField
from core.files.layout.fields.text import DigitsField, TextField

FIELD_TYPES: dict[str, type[Field]] = {
    cls.type_name: cls
    for cls in (TextField, DigitsField, IntegerField, AmountField, NikField, DateField, TimestampField,
                CodeField, EnumField)
}

__all__ = [
    "CONTROL_CLASS", "FIELD_TYPES", "MAX_AMOUNT", "MAX_INTEGER", "AmountField", "ChoiceField", "CodeField",
    "DateField", "DigitsField", "EnumField", "Field", "IntegerField", "NikField", "OptionError", "TextField",
    "TimestampField", "choice_regex", "nik_problem",
]
