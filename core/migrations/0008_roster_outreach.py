"""The roster and outreach tables of contract section 8 (frozen copies of core/roster/tables.py)."""
from peewee import CharField, DateField, DateTimeField, IntegerField, Model, TextField


def up(migrator, db):  # the Runner wraps it in a transaction
    class Participant(Model):
        kpj = CharField(unique=True, max_length=11)
        nik = CharField(index=True, max_length=16)
        name = CharField(index=True, max_length=100)
        kabupaten_code = CharField(max_length=4)
        village = CharField(null=True, max_length=100)
        occupation = CharField(max_length=40)
        start = DateField()
        end = DateField(null=True)
        funding = CharField(max_length=16)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'participant'
            indexes = ((('kabupaten_code', 'funding'), False),)

    class OutreachSession(Model):
        kabupaten_code = CharField(max_length=4)
        date = DateField()
        place = CharField(max_length=200)
        facilitator = CharField(null=True, max_length=100)
        attendees = IntegerField(default=0)
        notes = TextField(null=True)
        created_by = CharField(max_length=64)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'outreach_session'
            indexes = ((('kabupaten_code', 'date'), False),)

    db.create_tables([Participant, OutreachSession])
