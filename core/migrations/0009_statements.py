"""The bank statement tables of contract section 10 (frozen copies of core/statements/tables.py)."""
from peewee import (
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):  # the Runner wraps it in a transaction
    class Statement(Model):
        sha256 = CharField(unique=True, max_length=64)
        account = CharField(max_length=35)
        reference = CharField(max_length=16)
        number = CharField(max_length=16)
        opening_balance = BigIntegerField()
        opening_date = DateField()
        closing_balance = BigIntegerField()
        closing_date = DateField()
        line_count = IntegerField(default=0)
        debit_total = BigIntegerField(default=0)
        credit_total = BigIntegerField(default=0)
        gap = BigIntegerField(null=True)
        file_name = CharField(max_length=200)
        imported_at = DateTimeField()
        imported_by = CharField(max_length=64)

        class Meta:
            database = db
            table_name = 'statement'
            indexes = ((('account', 'reference', 'number'), True), (('closing_date',), False))

    class StatementLine(Model):
        statement = ForeignKeyField(Statement, on_delete='CASCADE', index=False)
        line_no = IntegerField()
        value_date = DateField()
        mark = CharField(max_length=2)
        amount = BigIntegerField()
        customer_reference = CharField(null=True, max_length=16)
        bank_reference = CharField(null=True, max_length=35)
        details = TextField(null=True)
        kind = CharField(max_length=16)
        instruction_id = CharField(null=True, max_length=32)
        batch_id = CharField(null=True, max_length=32)

        class Meta:
            database = db
            table_name = 'statement_line'
            indexes = ((('statement', 'line_no'), True), (('instruction_id', 'kind'), False),
                       (('batch_id', 'kind'), False))

    class StatementException(Model):
        key = CharField(unique=True, max_length=100)
        kind = CharField(max_length=24)
        instruction_id = CharField(null=True, max_length=32)
        batch_id = CharField(null=True, max_length=32)
        claim_no = CharField(null=True, max_length=30)
        amount = BigIntegerField(null=True)
        value_date = DateField(null=True)
        statement = ForeignKeyField(Statement, null=True, on_delete='SET NULL', index=False)
        statement_reference = CharField(null=True, max_length=16)
        customer_reference = CharField(null=True, max_length=16)
        detail = TextField(null=True)
        created_at = DateTimeField()
        resolved_at = DateTimeField(null=True)
        resolved_by = CharField(null=True, max_length=64)
        resolution_note = TextField(null=True)

        class Meta:
            database = db
            table_name = 'statement_exception'
            indexes = ((('resolved_at', 'created_at'), False), (('instruction_id',), False))

    db.create_tables([Statement, StatementLine, StatementException])
