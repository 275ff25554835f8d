"""Reading model rows with plain SQL and building the same instances the ORM would.

For the reads that every page makes, building and compiling an ORM queryset costs more than the
database takes to answer it (bench/RESULTS.md). `Columns` gives a model's column list for a plain
SELECT, and turns each fetched row into an instance with `Model.from_db`, as the ORM does.
"""

from django.db import connections


class Columns:
    """A model's concrete columns under a table alias, and which of them need converters.

    Converters turn what the driver returns into what the field holds (SQLite, for one, returns
    datetimes as text). Which columns need them depends only on the database, so that is worked
    out once; the converters themselves are bound to a connection (one per thread), so they are
    looked up on the connection in use, once per read.
    """

    def __init__(self, model, alias, table_alias):
        connection = connections[alias]
        fields = model._meta.concrete_fields
        self.model = model
        self.alias = alias
        self.names = [f.attname for f in fields]
        self.sql = ", ".join(f"{table_alias}.{connection.ops.quote_name(f.column)}" for f in fields)
        self.convertible = []
        for position, field in enumerate(fields):
            col = field.get_col(table_alias)
            if connection.ops.get_db_converters(col) + col.get_db_converters(connection):
                self.convertible.append((position, col))

    def __len__(self):
        return len(self.names)

    def builder(self):
        """A function from one fetched row to a model instance, for the connection in use."""
        connection = connections[self.alias]
        converters = [
            (
                position,
                col,
                connection.ops.get_db_converters(col) + col.get_db_converters(connection),
            )
            for position, col in self.convertible
        ]

        def build(row):
            if converters:
                row = list(row)
                for position, col, functions in converters:
                    for function in functions:
                        row[position] = function(row[position], col, connection)
            return self.model.from_db(self.alias, self.names, row)

        return build
