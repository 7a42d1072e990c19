#!/usr/bin/env python3
"""A short race through Rival's C API from Python (ctypes), printing the same lines as Examples/c/race.c:
position, car index, name, laps, total time (s), best lap (s), lap times (s, comma-separated), tab-separated,
times with 17 significant digits.

Usage: race.py LIBCRIVAL_SO [DATA_DIR] [TRACK] [CAR] [GRID] [SEED] [LAPS]
       (defaults: . Monza gt3 club:2,pro:1 1 1)
"""
import ctypes
import sys


class ResultEntry(ctypes.Structure):
    """rival_result_entry in include/rival.h."""
    _fields_ = [("position", ctypes.c_int32), ("car", ctypes.c_int32), ("finished", ctypes.c_int32),
                ("laps", ctypes.c_int32), ("total_time_s", ctypes.c_double), ("best_lap_s", ctypes.c_double),
                ("contacts", ctypes.c_int32), ("off_tracks", ctypes.c_int32)]


class RivalError(Exception):
    """A failed call: the function, the status code and rival_last_error()'s message."""


def load(path):
    """The library with the prototypes this script uses."""
    lib = ctypes.CDLL(path)
    handle, out = ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)
    lib.rival_last_error.restype = ctypes.c_char_p
    lib.rival_last_error.argtypes = []
    prototypes = {
        "rival_world_create": [ctypes.c_char_p, out],
        "rival_track_load": [handle, ctypes.c_char_p, out],
        "rival_car_load": [handle, ctypes.c_char_p, out],
        "rival_race_create": [handle, handle, handle, ctypes.c_char_p, ctypes.c_uint64, ctypes.c_int32, out],
        "rival_race_run": [handle],
        "rival_race_result_count": [handle, ctypes.POINTER(ctypes.c_int32)],
        "rival_race_result_entry": [handle, ctypes.c_int32, ctypes.POINTER(ResultEntry)],
        "rival_race_result_name": [handle, ctypes.c_int32, ctypes.POINTER(ctypes.c_char_p)],
        "rival_race_result_lap_time": [handle, ctypes.c_int32, ctypes.c_int32, ctypes.POINTER(ctypes.c_double)],
    }
    for name, argtypes in prototypes.items():
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = ctypes.c_int32
    for name in ["rival_world_destroy", "rival_track_destroy", "rival_car_destroy", "rival_race_destroy"]:
        getattr(lib, name).argtypes = [handle]
        getattr(lib, name).restype = None
    return lib


def check(lib, status, what):
    """Raises RivalError for a status other than RIVAL_OK (0)."""
    if status != 0:
        raise RivalError(f"{what}: error {status}: {lib.rival_last_error().decode()}")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    lib = load(argv[1])
    data_dir, track_name, car_name, grid = (argv[2:6] + [".", "Monza", "gt3", "club:2,pro:1"][len(argv[2:6]):])
    seed = int(argv[6]) if len(argv) > 6 else 1
    laps = int(argv[7]) if len(argv) > 7 else 1

    world, track, car, race = (ctypes.c_void_p() for _ in range(4))
    try:
        check(lib, lib.rival_world_create(data_dir.encode(), ctypes.byref(world)), "rival_world_create")
        check(lib, lib.rival_track_load(world, track_name.encode(), ctypes.byref(track)), "rival_track_load")
        check(lib, lib.rival_car_load(world, car_name.encode(), ctypes.byref(car)), "rival_car_load")
        check(lib, lib.rival_race_create(world, track, car, grid.encode(), seed, laps, ctypes.byref(race)),
              "rival_race_create")
        check(lib, lib.rival_race_run(race), "rival_race_run")
        count = ctypes.c_int32()
        check(lib, lib.rival_race_result_count(race, ctypes.byref(count)), "rival_race_result_count")
        for position in range(1, count.value + 1):
            entry, name = ResultEntry(), ctypes.c_char_p()
            check(lib, lib.rival_race_result_entry(race, position, ctypes.byref(entry)), "rival_race_result_entry")
            check(lib, lib.rival_race_result_name(race, position, ctypes.byref(name)), "rival_race_result_name")
            lap_times = []
            for lap in range(1, entry.laps + 1):
                lap_s = ctypes.c_double()
                check(lib, lib.rival_race_result_lap_time(race, position, lap, ctypes.byref(lap_s)),
                      "rival_race_result_lap_time")
                lap_times.append(f"{lap_s.value:.17g}")
            print(f"{entry.position}\t{entry.car}\t{name.value.decode()}\t{entry.laps}\t"
                  f"{entry.total_time_s:.17g}\t{entry.best_lap_s:.17g}\t{','.join(lap_times)}")
    except RivalError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        lib.rival_race_destroy(race)
        lib.rival_car_destroy(car)
        lib.rival_track_destroy(track)
        lib.rival_world_destroy(world)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
