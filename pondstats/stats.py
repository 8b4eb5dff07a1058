"""Statistics behind every rate: an alias of :mod:`pondstats.rates.stats`.

Kept so that ``from pondstats.stats import shrink`` (and ``import
pondstats.stats``) go on working; the code lives in the rates stage.
"""

from pondstats.rates.stats import *  # noqa: F403
from pondstats.rates.stats import __all__  # noqa: F401
