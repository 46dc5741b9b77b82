"""Document builders: take dataclasses, return bytes, never query the database."""
