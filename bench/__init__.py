"""Benchmarks of Minsheng at 100k–1M matters, with django-helpdesk measured beside it."""
