"""Questionnaires as data: definitions, expressions, the engine, XLSForm."""
