"""Rasd's one storage layer: SQLAlchemy over SQLite by default, PostgreSQL by URL."""
