"""Pure domain logic: no Flask, SQLAlchemy, WTForms or WeasyPrint; time is passed in."""
