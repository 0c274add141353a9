"""Uploaded images: opened safely (reading), made small for lists (thumbnail), and normalised
before they are stored (normalised). Pure: bytes in, bytes out; CPU-bound, so callers run each
function in a thread."""
