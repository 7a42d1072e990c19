/*
 * rival.h: the C API of Rival, human-like AI rival drivers for racing games.
 * GPL-3.0-or-later (Rival links libgsl, GPL-3.0): a program that links libCRival is GPL too.
 *
 * Two ways to use it:
 *   - Your physics, our drivers: load a track, a car and personas, create one driver per AI car
 *     (rival_driver_create), and every decision interval fill a rival_view from your own car state and call
 *     rival_driver_decide to get steering, throttle and brake.
 *   - Our simulator for the whole race (tools, headless tests): rival_race_create, rival_race_run, then read
 *     the classification.
 *
 * Conventions
 *   - Every function that can fail returns an int32_t status: RIVAL_OK (0) or a RIVAL_ERROR_* code. On failure
 *     the output arguments are left unchanged and rival_last_error() describes the problem.
 *   - Handles are opaque. Each *_create / *_load is paired with a *_destroy; destroying NULL does nothing. A
 *     handle may be destroyed while objects made from it live on (they keep what they need).
 *   - SI units: metres, seconds, radians, kilograms. Strings are UTF-8, NUL-terminated.
 *   - Every argument is checked: NULL handles or pointers, non-finite numbers and out-of-range indices give an
 *     error code, never a crash. A handle that was already destroyed cannot be detected: do not pass one.
 *
 * Thread safety
 *   - rival_world, rival_track, rival_car and rival_persona are immutable once made: any number of threads may
 *     use them at once (to create drivers and races in parallel, for example).
 *   - A rival_driver or rival_race is used by one thread at a time (different ones on different threads are
 *     fine). Calls on the same one from two threads at once must be serialised by the caller.
 *   - The last error is kept per thread. There is no other process-wide mutable state: several worlds may
 *     live in one process.
 */
#ifndef RIVAL_H
#define RIVAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. */
#define RIVAL_OK 0
/* A required pointer or handle was NULL. */
#define RIVAL_ERROR_NULL_ARGUMENT 1
/* A number was not finite or out of its range, or a string was malformed. */
#define RIVAL_ERROR_INVALID_ARGUMENT 2
/* An index (grid position, lap, car) was out of range. */
#define RIVAL_ERROR_OUT_OF_RANGE 3
/* A file or named item could not be found or loaded (the message names the file and the problem). */
#define RIVAL_ERROR_LOAD 4
/* The call does not fit the object's state (for example a result asked for before the race ran). */
#define RIVAL_ERROR_STATE 5

/* Most nearby cars a view carries. */
#define RIVAL_MAX_NEARBY 8

typedef struct rival_world rival_world;
typedef struct rival_track rival_track;
typedef struct rival_car rival_car;
typedef struct rival_persona rival_persona;
typedef struct rival_driver rival_driver;
typedef struct rival_race rival_race;

/* One point of a circuit's centreline with the track widths each side (a closed loop; see tracks/README.md). */
typedef struct rival_track_point {
    double x_m;
    double y_m;
    double width_right_m;
    double width_left_m;
} rival_track_point;

/* Another car as the driver sees it, relative to its own car. */
typedef struct rival_nearby_car {
    int32_t index;               /* the other car's index (grid slot), 0-based */
    double gap_m;                /* arc length from this car to the other along the track (m, positive = ahead) */
    double lateral_m;            /* the other car's offset from the centreline (m, positive = left) */
    double speed_difference_mps; /* the other car's forward speed minus this car's (m/s) */
    double lateral_speed_mps;    /* the other car's velocity across the track (m/s, positive = towards the left
                                    edge): how fast lateral_m changes; 0 when the game does not know it */
} rival_nearby_car;

/* What a driver perceives of its own car at one decision, filled by the game from its own state. */
typedef struct rival_view {
    double time_s;                          /* race time since the start (s) */
    int32_t car_index;                      /* this car's index (grid slot), 0-based */
    int32_t laps_completed;                 /* laps completed so far, >= 0 */
    double speed_mps;                       /* forward speed in the car frame (m/s) */
    double lateral_speed_mps;               /* sideways speed in the car frame (m/s, positive = left) */
    double yaw_rate_radps;                  /* yaw rate (rad/s, positive = turning left) */
    double steering_angle_rad;              /* road-wheel steering angle (rad, positive = left) */
    double longitudinal_acceleration_mps2;  /* car frame (m/s^2, positive = speeding up) */
    double lateral_acceleration_mps2;       /* car frame (m/s^2, positive = to the left) */
    double s_m;                             /* arc length along the centreline (m, 0...track length) */
    double lateral_m;                       /* offset from the centreline (m, positive = left) */
    double heading_error_rad;               /* car heading minus track heading (rad, -pi...pi) */
    int32_t nearby_count;                   /* entries used in nearby, 0...RIVAL_MAX_NEARBY */
    rival_nearby_car nearby[RIVAL_MAX_NEARBY];
} rival_view;

/* What a driver asks of its car until its next decision. */
typedef struct rival_controls {
    double steering; /* -1...1, fraction of the maximum road-wheel angle, positive = left */
    double throttle; /* 0...1 */
    double brake;    /* 0...1, fraction of the maximum brake force */
} rival_controls;

/* One line of a race's classification. */
typedef struct rival_result_entry {
    int32_t position;     /* 1-based */
    int32_t car;          /* car index (grid slot), 0-based */
    int32_t finished;     /* 1 if the car took the chequered flag, else 0 */
    int32_t laps;         /* laps completed */
    double total_time_s;  /* race time at the finish, or at the last completed lap for a car that did not finish */
    double best_lap_s;    /* best lap (s); infinity when no lap was completed */
    int32_t contacts;     /* car-to-car contacts */
    int32_t off_tracks;   /* times off the track */
} rival_result_entry;

/* The message of the last failed call on this thread ("" if none). Valid until the next failing call on this
 * thread; never NULL. */
const char *rival_last_error(void);

/* The library's version, such as "0.1.0" (static storage). */
const char *rival_version(void);

/* A world: where named tracks, cars and personas are found. data_dir holds tracks/, cars/ and personas/
 * (NULL: the current directory). */
int32_t rival_world_create(const char *data_dir, rival_world **out_world);
void rival_world_destroy(rival_world *world);

/* A circuit by shipped name ("Monza", any case) or by path to a CSV in the circuit format. */
int32_t rival_track_load(const rival_world *world, const char *name_or_path, rival_track **out_track);
/* A circuit from count (>= 10) centreline points forming a closed loop. */
int32_t rival_track_from_points(const char *name, const rival_track_point *points, int32_t count,
                                rival_track **out_track);
/* The centreline's length (m). */
int32_t rival_track_length(const rival_track *track, double *out_length_m);
/* Projects a world position onto the track near arc length s_guess_m (a NaN s_guess_m searches the whole lap):
 * gives s (m, 0...length) and the lateral offset (m, positive = left). */
int32_t rival_track_project(const rival_track *track, double x_m, double y_m, double s_guess_m, double *out_s_m,
                            double *out_lateral_m);
/* The world position (m) of the point at arc length s_m, lateral_m from the centreline (positive = left). */
int32_t rival_track_position(const rival_track *track, double s_m, double lateral_m, double *out_x_m, double *out_y_m);
/* The centreline's heading at arc length s_m (rad, counter-clockwise from +x). */
int32_t rival_track_heading(const rival_track *track, double s_m, double *out_heading_rad);
void rival_track_destroy(rival_track *track);

/* A car by shipped name ("gt3") or by path to a car JSON file. */
int32_t rival_car_load(const rival_world *world, const char *name_or_path, rival_car **out_car);
void rival_car_destroy(rival_car *car);

/* A persona by shipped name ("club") or by path to a persona JSON file. */
int32_t rival_persona_load(const rival_world *world, const char *name_or_path, rival_persona **out_persona);
void rival_persona_destroy(rival_persona *persona);

/* A human driver: a person drawn from persona for grid slot index (>= 0) of a race with seed race_seed, around
 * the model-based expert planned for track, car and fuel_kg of fuel (0...the car's tank). The same arguments
 * give the same person and the same decisions. Creating one plans the expert's speed; the racing line under it
 * is computed the first time per track and cached for later drivers. */
int32_t rival_driver_create(const rival_track *track, const rival_car *car, const rival_persona *persona,
                            uint64_t race_seed, int32_t index, double fuel_kg, rival_driver **out_driver);
/* Seconds between two decisions; hold the controls in between. */
int32_t rival_driver_decision_interval(const rival_driver *driver, double *out_interval_s);
/* The controls to hold until the next decision, given what the driver perceives now. Every number in view
 * must be finite and nearby_count within 0...RIVAL_MAX_NEARBY. Does not allocate. */
int32_t rival_driver_decide(rival_driver *driver, const rival_view *view, rival_controls *out_controls);
void rival_driver_destroy(rival_driver *driver);

/* A race in Rival's simulator, as `rival race --grid GRID --seed SEED --laps LAPS` builds it: grid is
 * "name-or-path:count,..." in grid order (a missing count is 1; 1...40 cars in all), personas found through
 * world; laps 1...1000. */
int32_t rival_race_create(const rival_world *world, const rival_track *track, const rival_car *car,
                          const char *grid, uint64_t seed, int32_t laps, rival_race **out_race);
/* Number of cars in the race. */
int32_t rival_race_car_count(const rival_race *race, int32_t *out_count);
/* Advances one physics step (1/120 s); *out_finished (may be NULL) is 1 when the race is over. */
int32_t rival_race_step(rival_race *race, int32_t *out_finished);
/* Runs the race to its end (or what is left of it). */
int32_t rival_race_run(rival_race *race);
/* The classification of a finished race (RIVAL_ERROR_STATE before): entries, then each by position 1...count. */
int32_t rival_race_result_count(const rival_race *race, int32_t *out_count);
int32_t rival_race_result_entry(const rival_race *race, int32_t position, rival_result_entry *out_entry);
/* The driver's name at position (such as "club 2"); the string lives as long as the race. */
int32_t rival_race_result_name(const rival_race *race, int32_t position, const char **out_name);
/* Lap time lap (1-based, 1...laps) of the car at position (s). */
int32_t rival_race_result_lap_time(const rival_race *race, int32_t position, int32_t lap, double *out_lap_s);
void rival_race_destroy(rival_race *race);

#ifdef __cplusplus
}
#endif

#endif /* RIVAL_H */
