"""E-ARK information packages for the kommun's e-archive: pure builders, plain data in, bytes out."""
