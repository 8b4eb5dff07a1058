"""Reading dealer exports and writing tables: the only package that touches export files.

* :func:`read_table` and its typed twins :func:`read_visits`,
  :func:`read_deposits`, :func:`read_spend` read CSV or Excel exports as text
  frames with canonical column names (``_read``: the readers, encodings,
  aliases; ``_sniff``: Big5 vs GBK, delimiters, top rows; ``_excel``: sheets,
  encrypted workbooks; ``_arrow``: the fast CSV path; ``_headers``: header
  matching);
* :func:`read_zones` / :func:`prepare_zones` read zone files (GeoJSON,
  GeoPackage, Shapefile) into the canonical zones table (``_zones``;
  geopandas is loaded when a zone file is read);
* :func:`write_table` writes CSV or Excel with spreadsheet formulas
  neutralised (``_write``).
"""

from pondstats.io._headers import normalize_header
from pondstats.io._inquiries import read_inquiries
from pondstats.io._read import read_deposits, read_spend, read_table, read_visits
from pondstats.io._targets import read_targets
from pondstats.io._write import neutralize_formulas, write_table
from pondstats.io._zones import ZONE_CRS, prepare_zones, read_zones

__all__ = [
    "normalize_header",
    "read_table",
    "read_visits",
    "read_deposits",
    "read_spend",
    "read_targets",
    "read_inquiries",
    "read_zones",
    "prepare_zones",
    "ZONE_CRS",
    "write_table",
    "neutralize_formulas",
]
