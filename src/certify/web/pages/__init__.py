"""Server-rendered Swedish pages: every action is a form POST answered by a redirect."""
