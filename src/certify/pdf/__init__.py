"""Pure PDF rendering: plain data in, PDF bytes out (certificate, decal)."""
