"""The case file's pages, forms and JSON API (views only parse, call the domain and render)."""
