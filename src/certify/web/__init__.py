"""The HTTP edge: JSON API, HTML pages, authentication and error mapping."""
