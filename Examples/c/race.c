/*
 * A short race through Rival's C API: loads a circuit, a car and a grid of personas, runs the race in Rival's
 * simulator and prints the classification, one tab-separated line per car:
 *   position, car index, name, laps, total time (s), best lap (s), lap times (s, comma-separated)
 * Times are printed with 17 significant digits, so they compare exactly with `rival race --json`.
 *
 * Build: cc -std=c11 -Wall -Wextra -I include Examples/c/race.c -L .build/debug -lCRival -o race
 * Run:   ./race [DATA_DIR] [TRACK] [CAR] [GRID] [SEED] [LAPS]    (defaults: . Monza gt3 club:2,pro:1 1 1)
 */
#include <stdio.h>
#include <stdlib.h>

#include "rival.h"

/* Prints the failed call and the library's message, and exits with status 1. */
static void check(int32_t status, const char *what) {
    if (status != RIVAL_OK) {
        fprintf(stderr, "%s: error %d: %s\n", what, (int)status, rival_last_error());
        exit(1);
    }
}

int main(int argc, char **argv) {
    const char *data_dir = argc > 1 ? argv[1] : ".";
    const char *track_name = argc > 2 ? argv[2] : "Monza";
    const char *car_name = argc > 3 ? argv[3] : "gt3";
    const char *grid = argc > 4 ? argv[4] : "club:2,pro:1";
    uint64_t seed = argc > 5 ? strtoull(argv[5], NULL, 10) : 1;
    int32_t laps = argc > 6 ? (int32_t)atoi(argv[6]) : 1;

    rival_world *world = NULL;
    rival_track *track = NULL;
    rival_car *car = NULL;
    rival_race *race = NULL;
    check(rival_world_create(data_dir, &world), "rival_world_create");
    check(rival_track_load(world, track_name, &track), "rival_track_load");
    check(rival_car_load(world, car_name, &car), "rival_car_load");
    check(rival_race_create(world, track, car, grid, seed, laps, &race), "rival_race_create");
    check(rival_race_run(race), "rival_race_run");

    int32_t count = 0;
    check(rival_race_result_count(race, &count), "rival_race_result_count");
    for (int32_t position = 1; position <= count; position++) {
        rival_result_entry entry;
        const char *name = NULL;
        check(rival_race_result_entry(race, position, &entry), "rival_race_result_entry");
        check(rival_race_result_name(race, position, &name), "rival_race_result_name");
        printf("%d\t%d\t%s\t%d\t%.17g\t%.17g\t", (int)entry.position, (int)entry.car, name, (int)entry.laps,
               entry.total_time_s, entry.best_lap_s);
        for (int32_t lap = 1; lap <= entry.laps; lap++) {
            double lap_s = 0;
            check(rival_race_result_lap_time(race, position, lap, &lap_s), "rival_race_result_lap_time");
            printf("%s%.17g", lap > 1 ? "," : "", lap_s);
        }
        printf("\n");
    }

    rival_race_destroy(race);
    rival_car_destroy(car);
    rival_track_destroy(track);
    rival_world_destroy(world);
    return 0;
}
