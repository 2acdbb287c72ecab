"""The catalogue at scale: the offers' search vector, kept by triggers, its GIN index and the
indexes the catalogue's orders read.

On PostgreSQL (SQLite, for the demo, keeps an empty column and searches with
matchmaking.search.fold):

- ``exchanges_unaccent(text)``: ``unaccent`` declared immutable, as indexes and stored
  vectors need (the extension's own function is only stable, because its dictionary could
  change);
- ``exchanges_search_config(code)``: the text search configuration of a language code, the
  database's copy of matchmaking.search.TEXT_SEARCH_CONFIGS ('simple' for the others);
- ``exchanges_offer_document(config, title, names, body)``: the vector, with the title (A),
  the host's names and places (B) and the description (C), each word kept as written
  ('simple', for names and for a reader of another language) and stemmed;
- a trigger that computes an offer's vector when its text, language or host changes, and one
  on the organisation that recomputes its offers' vectors when its name or city changes;
- the GIN index, and one on the organisations' country (the catalogue's country filter).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations, models

# Frozen copy of matchmaking.search.TEXT_SEARCH_CONFIGS at the time of this migration.
CONFIGS = {
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "it": "italian",
    "nb": "norwegian",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "sv": "swedish",
}

FUNCTIONS = """
CREATE OR REPLACE FUNCTION exchanges_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$;

-- Declared immutable, though it reads the catalogue of configurations (which PostgreSQL
-- ships and nobody edits), so that a query's configurations are worked out once, when it is
-- planned, not for every row it ranks.
CREATE OR REPLACE FUNCTION exchanges_search_config(code text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT coalesce(
        (SELECT c.oid::regconfig FROM pg_catalog.pg_ts_config c
          WHERE c.cfgnamespace = 'pg_catalog'::regnamespace
            AND c.cfgname = CASE lower(split_part(coalesce(code, ''), '-', 1))
                {cases}
            END),
        'pg_catalog.simple'::regconfig)
    $$;

CREATE OR REPLACE FUNCTION exchanges_offer_document(
    config regconfig, title text, names text, body text
) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT setweight(
               to_tsvector('pg_catalog.simple', exchanges_unaccent(coalesce(title, '')))
               || to_tsvector(config, exchanges_unaccent(coalesce(title, ''))), 'A')
        || setweight(to_tsvector('pg_catalog.simple', exchanges_unaccent(coalesce(names, ''))), 'B')
        || setweight(
               to_tsvector('pg_catalog.simple', exchanges_unaccent(coalesce(body, '')))
               || to_tsvector(config, exchanges_unaccent(coalesce(body, ''))), 'C')
    $$;

CREATE OR REPLACE FUNCTION exchanges_offer_search_vector() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        SELECT exchanges_offer_document(
                   exchanges_search_config(NEW.text_language),
                   NEW.title,
                   concat_ws(' ', o.name, o.city, NEW.city, NEW.region_name),
                   NEW.description)
          INTO NEW.search_vector
          FROM matchmaking_organisation o
         WHERE o.id = NEW.organisation_id;
        RETURN NEW;
    END
    $$;

CREATE OR REPLACE FUNCTION exchanges_organisation_search_vector() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        -- Touching organisation_id fires the offers' own trigger, the one place the vector
        -- is made.
        UPDATE exchanges_offer SET organisation_id = organisation_id
         WHERE organisation_id = NEW.id;
        RETURN NULL;
    END
    $$;

DROP TRIGGER IF EXISTS exchanges_offer_search_vector ON exchanges_offer;
CREATE TRIGGER exchanges_offer_search_vector
    BEFORE INSERT OR UPDATE OF title, description, city, region_name, text_language,
        organisation_id
    ON exchanges_offer FOR EACH ROW EXECUTE FUNCTION exchanges_offer_search_vector();

DROP TRIGGER IF EXISTS exchanges_organisation_search_vector ON matchmaking_organisation;
CREATE TRIGGER exchanges_organisation_search_vector
    AFTER UPDATE OF name, city ON matchmaking_organisation FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.city IS DISTINCT FROM NEW.city)
    EXECUTE FUNCTION exchanges_organisation_search_vector();

UPDATE exchanges_offer SET organisation_id = organisation_id;

CREATE INDEX IF NOT EXISTS offer_search ON exchanges_offer USING gin (search_vector);
CREATE INDEX IF NOT EXISTS organisation_country ON matchmaking_organisation (country);
"""

DROP = """
DROP INDEX IF EXISTS organisation_country;
DROP INDEX IF EXISTS offer_search;
DROP TRIGGER IF EXISTS exchanges_organisation_search_vector ON matchmaking_organisation;
DROP TRIGGER IF EXISTS exchanges_offer_search_vector ON exchanges_offer;
DROP FUNCTION IF EXISTS exchanges_organisation_search_vector();
DROP FUNCTION IF EXISTS exchanges_offer_search_vector();
DROP FUNCTION IF EXISTS exchanges_offer_document(regconfig, text, text, text);
DROP FUNCTION IF EXISTS exchanges_search_config(text);
DROP FUNCTION IF EXISTS exchanges_unaccent(text);
"""


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        )
        (schema,) = cursor.fetchone()
        cases = "\n                ".join(
            f"WHEN '{code}' THEN '{config}'" for code, config in sorted(CONFIGS.items())
        )
        cursor.execute(FUNCTIONS.format(schema=schema, cases=cases))


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0015_call_rounds"),
        ("matchmaking", "0013_text_vectors"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="search_vector",
            field=SearchVectorField(editable=False, null=True, verbose_name="search vector"),
        ),
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                fields=["status", "-published_at", "-id"], name="offer_catalogue_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                fields=["status", "available_from", "id"], name="offer_catalogue_start"
            ),
        ),
        migrations.RunPython(create_search, drop_search, elidable=False),
    ]
