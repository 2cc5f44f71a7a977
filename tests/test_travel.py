"""Travel minutes: the haversine formula of cluster-format.md and its overrides.

minutes = ceil_to_slot(km * detour_factor / speed_kmh * 60 + buffer_minutes),
km by haversine with R = 6371.0 km. Defaults: 40 km/h, 1.3, 10 minutes.
"""

from __future__ import annotations

import math

import pytest
from clusters import errors_of, example_text, load_data, minimal, replace_once

from mentor_sched import load

R_KM = 6371.0


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * R_KM * math.asin(math.sqrt(h))


def test_minimal_pair_by_hand(tmp_path):
    # oak (52.0, 0.7) to elm (52.1, 0.8): 13.054 km straight;
    # 13.054 * 1.3 / 40 * 60 = 25.455 min, + 10 buffer = 35.455 -> 40 (5-min slots)
    p = load_data(tmp_path, minimal())
    assert haversine((52.0, 0.7), (52.1, 0.8)) == pytest.approx(13.0539, abs=1e-4)
    assert p.travel["oak", "elm"] == 40
    assert p.travel["elm", "oak"] == 40
    assert p.travel_minutes("oak", "oak") == 0


def test_slot_size_rounds_up(tmp_path):
    # the same 35.455 minutes on a 15-minute grid is 45
    data = minimal()
    data["cluster"]["slot_minutes"] = 15
    data["mentors"][0]["works"] = {"mon": "08:00-17:00"}
    data["people"][0]["free"] = {"mon": "13:00-14:00"}
    data["demand"][0]["minutes"] = 45
    assert load_data(tmp_path, data).travel["oak", "elm"] == 45


def test_speed_detour_and_buffer_are_used(tmp_path):
    # 13.054 km * 1.0 / 60 km/h * 60 = 13.054 min, + 0 buffer -> 15
    data = minimal()
    data["travel"] = {"speed_kmh": 60, "detour_factor": 1.0, "buffer_minutes": 0}
    assert load_data(tmp_path, data).travel["oak", "elm"] == 15
    # 13.054 * 2.0 / 30 * 60 = 52.216, + 25 = 77.216 -> 80
    data["travel"] = {"speed_kmh": 30, "detour_factor": 2.0, "buffer_minutes": 25}
    assert load_data(tmp_path, data).travel["oak", "elm"] == 80


def test_an_exact_multiple_is_not_rounded_up_and_radius_is_6371(tmp_path):
    # 10 km due north along a meridian at 60 km/h, no detour: exactly 10 min,
    # + 10 buffer = 20, which stays 20. With R = 6378.137 km the trip would be
    # 10.011 km and round up to 25.
    data = minimal()
    data["schools"][0]["location"] = {"lat": 0.0, "lon": 10.0}
    data["schools"][1]["location"] = {"lat": math.degrees(10 / R_KM), "lon": 10.0}
    data["travel"] = {"speed_kmh": 60, "detour_factor": 1.0, "buffer_minutes": 10}
    assert load_data(tmp_path, data).travel["oak", "elm"] == 20


def test_example_matrix_matches_the_formula(example_path):
    p = load(example_path)
    places = {s.id: (s.lat, s.lon) for s in p.schools.values()}
    places["em-sarah"] = (52.0670, 0.7250)  # Sarah's base (lat/lon): her own id
    assert p.mentors["em-sarah"].base == "em-sarah"
    checked = 0
    for a, la in places.items():
        for b, lb in places.items():
            if a == b:
                continue
            want = math.ceil(
                round((haversine(la, lb) * 1.3 / 40 * 60 + 10) / 5, 9)
            ) * 5  # fmt: skip
            if {a, b} == {"clare-primary", "stour-academy"}:
                want = 30  # the override in the example
            assert p.travel[a, b] == want, (a, b)
            checked += 1
    assert checked == 30
    assert len(p.travel) == 30
    # by hand: Sudbury (52.0389, 0.7300) to Lavenham (52.1086, 0.7970) is
    # 9.002 km; 9.002 * 1.3 / 40 * 60 + 10 = 27.55 -> 30
    assert p.travel["sudbury-primary", "lavenham-primary"] == 30
    # Clare to Stour Valley would be 10.548 km -> 30.57 -> 35, overridden to 30
    assert p.travel["clare-primary", "stour-academy"] == 30
    assert p.travel["stour-academy", "clare-primary"] == 30
    # Sarah's home to Hadleigh: 15.865 km -> 40.94 -> 45
    assert p.travel["em-sarah", "hadleigh-primary"] == 45


def with_overrides(*entries) -> dict:
    data = minimal()
    data["schools"].append(
        {
            "id": "ash",
            "name": "Ash School",
            "phase": "primary",
            "location": {"lat": 52.05, "lon": 0.9},
        }
    )
    data["mentors"][0]["base"] = {"lat": 52.0, "lon": 0.8}
    data["mentors"].append(
        {"id": "em-bo", "name": "Bo", "works": {"tue": "09:00-15:00"}, "base": "ash"}
    )
    data["travel"] = {"minutes": [list(e) for e in entries]}
    return data


def test_override_is_symmetric_when_one_direction_is_given(tmp_path):
    p = load_data(tmp_path, with_overrides(("oak", "elm", 55)))
    assert p.travel["oak", "elm"] == 55
    assert p.travel["elm", "oak"] == 55
    assert p.travel["oak", "ash"] != 55  # others keep the formula


@pytest.mark.parametrize("order", [0, 1])
def test_both_directions_given_are_kept_apart(tmp_path, order):
    entries = [("oak", "elm", 20), ("elm", "oak", 35)]
    if order:
        entries.reverse()
    p = load_data(tmp_path, with_overrides(*entries))
    assert p.travel["oak", "elm"] == 20
    assert p.travel["elm", "oak"] == 35


def test_a_mentor_id_means_that_mentors_base(tmp_path):
    # em-ann has a lat/lon base (place "em-ann"); em-bo's base is school ash
    p = load_data(tmp_path, with_overrides(("em-ann", "oak", 5), ("elm", "em-bo", 15)))
    assert p.mentors["em-ann"].base == "em-ann"
    assert p.travel["em-ann", "oak"] == 5
    assert p.travel["oak", "em-ann"] == 5
    assert p.mentors["em-bo"].base == "ash"
    assert p.travel["elm", "ash"] == 15
    assert p.travel["ash", "elm"] == 15
    assert p.place_of("em-bo", "base") == "ash"


def test_base_location_travel_uses_the_formula(tmp_path):
    # em-ann's home (52.0, 0.8) to oak (52.0, 0.7): 6.8458 km along a parallel
    # at 52 N; 6.8458 * 1.3 / 40 * 60 + 10 = 23.35 -> 25
    p = load_data(tmp_path, with_overrides())
    assert haversine((52.0, 0.8), (52.0, 0.7)) == pytest.approx(6.8458, abs=1e-4)
    assert p.travel["em-ann", "oak"] == 25
    assert p.travel["oak", "em-ann"] == 25
    # em-bo's base is a school: no separate place for em-bo
    assert not any("em-bo" in pair for pair in p.travel)


def test_override_naming_an_unknown_place_is_an_error(tmp_path):
    (err,) = errors_of(tmp_path, with_overrides(("oak", "birch", 20)))
    assert err.path == "travel.minutes[0][1]"
    assert err.message == "unknown place"
    assert err.value == "'birch'"


def test_override_naming_a_mentor_without_base_is_an_error(tmp_path):
    text = replace_once(
        example_text(),
        "    base: {lat: 52.0670, lon: 0.7250}    # home, Long Melford\n",
        "",
    )
    text = replace_once(
        text, "[clare-primary, stour-academy, 30]", "[em-sarah, stour-academy, 30]"
    )
    (err,) = errors_of(tmp_path, text)
    assert err.path == "travel.minutes[0][0]"
    assert err.message == "this mentor has no base"
    assert err.line == 21
