"""Distances on the Earth's surface, for "the offices nearest to me"."""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance: within a few metres at the scale of a region."""
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))


def valid_coordinates(latitude: float, longitude: float) -> bool:
    """A point on Earth (Telegram sends floats, but a client could send anything)."""
    return -90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0
