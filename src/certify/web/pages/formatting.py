"""The Jinja filters pages use to show dates, times, numbers and sizes (all from certify.formatting).

`{{ x | datum }}`, `{{ x | datumtid }}`, `{{ x | tidpunkt }}`, `{{ x | decimal }}`, `{{ x | procent }}`,
`{{ x | storlek }}`, and `<time datetime="{{ x | maskintid }}">`. An absent value shows as nothing.
"""

from __future__ import annotations

from typing import Any

from certify import formatting

FILTERS: dict[str, Any] = {
    "datum": formatting.format_date,
    "datumtid": formatting.format_datetime,
    "tidpunkt": formatting.format_timestamp,
    "decimal": formatting.format_decimal,
    "procent": formatting.format_percent,
    "storlek": formatting.format_file_size,
    "maskintid": formatting.machine_datetime,
}
