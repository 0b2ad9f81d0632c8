"""Alembic environment: migrates the engine handed over by services_catalogue.schema."""

from alembic import context

from services_catalogue.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
