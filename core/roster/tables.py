"""Tables of the roster and outreach (contract section 8), created by migration 0008.

models.py holds the claim-and-payout tables; a later capability keeps its own tables in its
core package, and `core.schema.TABLES` lists them all (tests, schema checks, drop_all).
"""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, IntegerField, Model, TextField

from models import db, utcnow


class Participant(Model):
    """One enrolled worker of the roster; `kpj` is the key a re-import updates by (section 8)."""

    kpj = CharField(unique=True, max_length=11)
    nik = CharField(index=True, max_length=16)
    name = CharField(index=True, max_length=100)  # the roster page searches by name
    kabupaten_code = CharField(max_length=4)
    village = CharField(null=True, max_length=100)
    occupation = CharField(max_length=40)
    start = DateField()  # Mulai: covered from this day (pre-payout check 4)
    end = DateField(null=True)  # Berakhir: covered up to this day; None: still covered
    funding = CharField(max_length=16)  # who pays the contribution: APBD_PROVINSI, CSR...
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        database = db
        table_name = "participant"
        # the roster page filters by kabupaten/kota, then by funding source
        indexes = ((("kabupaten_code", "funding"), False),)


class OutreachSession(Model):
    """One sosialisasi session held in a kabupaten/kota."""

    kabupaten_code = CharField(max_length=4)
    date = DateField()
    place = CharField(max_length=200)
    facilitator = CharField(null=True, max_length=100)
    attendees = IntegerField(default=0)
    notes = TextField(null=True)
    created_by = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        database = db
        table_name = "outreach_session"
        # the outreach table: sessions and the last one per kabupaten/kota
        indexes = ((("kabupaten_code", "date"), False),)


TABLES: list[type[Model]] = [Participant, OutreachSession]
