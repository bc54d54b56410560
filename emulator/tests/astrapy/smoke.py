"""The emulator's Data API through astrapy, DataStax's Python client.

Usage: python smoke.py http://127.0.0.1:8181 [token]

Needs the astrapy pinned in requirements.txt (`pip install -r requirements.txt`). Prints one
line per checked result and exits non-zero with a traceback on the first mismatch.
"""

import datetime
import sys

from astrapy import DataAPIClient
from astrapy.constants import Environment
from astrapy.data_types import DataAPITimestamp, DataAPIVector

KEYSPACE = "astrapy_smoke"


def main(url: str, token: str) -> None:
    client = DataAPIClient(environment=Environment.HCD)
    database = client.get_database(url, token=token, keyspace=KEYSPACE)
    admin = database.get_database_admin()
    admin.create_keyspace(KEYSPACE)
    assert KEYSPACE in admin.list_keyspaces(), admin.list_keyspaces()

    table = database.create_table(
        "books",
        definition={
            "columns": {
                "title": "text",
                "author": "text",
                "pages": "int",
                "rating": "double",
                "published": "timestamp",
                "tags": {"type": "set", "valueType": "text"},
                "extra": {"type": "map", "keyType": "text", "valueType": "int"},
            },
            "primaryKey": {"partitionBy": ["title"], "partitionSort": {"author": 1, "pages": -1}},
        },
        if_not_exists=True,
    )
    assert database.list_table_names() == ["books"], database.list_table_names()

    published = DataAPITimestamp.from_datetime(datetime.datetime(2021, 4, 23, 18, 42, 22, tzinfo=datetime.timezone.utc))
    inserted = table.insert_one(
        {"title": "Dune", "author": "Herbert", "pages": 412, "rating": 4.5, "published": published,
         "tags": {"sf", "classic"}, "extra": {"a": 1}}
    )
    assert inserted.inserted_id == {"title": "Dune", "author": "Herbert", "pages": 412}, inserted.inserted_id
    many = table.insert_many([{"title": "Dune", "author": "Herbert", "pages": n} for n in range(1, 6)])
    assert len(many.inserted_ids) == 5, many.inserted_ids

    row = table.find_one({"title": "Dune", "author": "Herbert", "pages": 412})
    assert row is not None
    assert row["rating"] == 4.5, row
    assert row["published"] == published, row
    assert row["tags"] == {"sf", "classic"}, row
    assert dict(row["extra"]) == {"a": 1}, row

    pages = [r["pages"] for r in table.find({"title": "Dune"}, sort={"author": 1, "pages": -1}, projection={"pages": True})]
    assert pages == [412, 5, 4, 3, 2, 1], pages
    print(f"sorted pages: {pages}")
    # Without a sort the cursor follows nextPageState, so a small server page size is crossed.
    unsorted = sorted(r["pages"] for r in table.find({"title": "Dune"}, projection={"pages": True}))
    assert unsorted == [1, 2, 3, 4, 5, 412], unsorted
    print(f"all pages: {unsorted}")
    ascending = [r["pages"] for r in table.find({"title": "Dune"}, sort={"pages": 1}, limit=3)]
    assert ascending == [1, 2, 3], ascending
    print(f"in-memory sort: {ascending}")

    table.update_one({"title": "Dune", "author": "Herbert", "pages": 1}, {"$set": {"rating": 1.0}})
    updated = table.find_one({"title": "Dune", "author": "Herbert", "pages": 1})
    assert updated is not None and updated["rating"] == 1.0, updated
    print(f"updated rating: {updated['rating']}")

    table.delete_one({"title": "Dune", "author": "Herbert", "pages": 1})
    assert table.find_one({"title": "Dune", "author": "Herbert", "pages": 1}) is None
    table.delete_many({"title": "Dune"})
    assert table.find_one({}) is None
    print("deleted: all")

    table.drop()

    vectors = database.create_table(
        "docs",
        definition={"columns": {"id": "int", "v": {"type": "vector", "dimension": 2}}, "primaryKey": "id"},
    )
    vectors.create_vector_index("docs_v", column="v", options={"metric": "dot_product"})
    vectors.insert_many([{"id": 1, "v": DataAPIVector([1.0, 0.0])}, {"id": 2, "v": DataAPIVector([0.0, 1.0])}])
    nearest = list(vectors.find({}, sort={"v": DataAPIVector([0.0, 1.0])}, limit=1, include_similarity=True))
    assert [r["id"] for r in nearest] == [2], nearest
    assert nearest[0]["$similarity"] == 1.0, nearest
    print(f"nearest: {nearest[0]['id']} similarity {nearest[0]['$similarity']}")
    vectors.drop()
    admin.drop_keyspace(KEYSPACE)
    print("astrapy smoke test passed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "Cassandra:Y2Fzc2FuZHJh:Y2Fzc2FuZHJh")
