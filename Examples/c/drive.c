/*
 * "Your physics, our drivers" in C: the game steps its own cars (a kinematic bicycle model with a grip limit and
 * GT3-like figures) and asks Rival's human drivers for steering, throttle and brake at their decision rate,
 * filling each rival_view from its own state with rival_track_project and rival_track_heading.
 *
 * Build: cc -std=c11 -Wall -Wextra -I include Examples/c/drive.c -L .build/debug -lCRival -lm -o drive
 * Run:   ./drive [DATA_DIR] [TRACK] [LAPS] [PERSONA...]   (defaults: . Norisring 1 club pro)
 * Prints one line per car, tab-separated: car index, persona, laps, lap times (s, space-separated).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rival.h"

#define MAX_CARS 8
#define RIVAL_EXAMPLE_PI 3.14159265358979323846

/* The game's own car. */
typedef struct game_car {
    double x, y, yaw, speed, wheel_angle, yaw_rate, accel_long, accel_lat; /* world pose, car-frame motion */
    double s, lateral, lateral_rate;                                       /* kept from step to step */
    int laps;
    double lap_start, lap_times[16];
    rival_controls held;
    double next_decision;
} game_car;

static void check(int32_t status, const char *what) {
    if (status != RIVAL_OK) {
        fprintf(stderr, "%s: error %d: %s\n", what, (int)status, rival_last_error());
        exit(1);
    }
}

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

static double wrap_pi(double a) {
    a = fmod(a, 2 * RIVAL_EXAMPLE_PI);
    if (a > RIVAL_EXAMPLE_PI) a -= 2 * RIVAL_EXAMPLE_PI;
    if (a <= -RIVAL_EXAMPLE_PI) a += 2 * RIVAL_EXAMPLE_PI;
    return a;
}

/* One step of dt seconds: drive, drag and brakes along the car; the yaw rate the steering asks, within the grip. */
static void step(game_car *car, rival_controls c, double dt) {
    const double mass = 1300, g = 9.81, rho = 1.2, mu = 1.55, cla = 2.4, cda = 0.95;
    const double power = 390000 * 0.9, max_drive = 12000, max_brake = 30000, max_steer = 0.38, steer_rate = 1.5;
    const double wheelbase = 2.6;
    double v = car->speed;
    double grip = mu * (mass * g + 0.5 * rho * cla * v * v) / mass;
    double drive = clamp(c.throttle, 0, 1) * fmin(max_drive, power / fmax(v, 1));
    car->accel_long = (drive - 0.5 * rho * cda * v * v - clamp(c.brake, 0, 1) * max_brake) / mass;
    car->speed = fmax(0, v + car->accel_long * dt);
    double target = clamp(c.steering, -1, 1) * max_steer;
    car->wheel_angle += clamp(target - car->wheel_angle, -steer_rate * dt, steer_rate * dt);
    double rate = car->speed * tan(car->wheel_angle) / wheelbase;
    if (car->speed > 1) rate = clamp(rate, -grip / car->speed, grip / car->speed);
    car->yaw_rate = rate;
    car->accel_lat = car->speed * rate;
    car->yaw += rate * dt;
    car->x += car->speed * cos(car->yaw) * dt;
    car->y += car->speed * sin(car->yaw) * dt;
}

int main(int argc, char **argv) {
    const char *data_dir = argc > 1 ? argv[1] : ".";
    const char *track_name = argc > 2 ? argv[2] : "Norisring";
    int laps = argc > 3 ? atoi(argv[3]) : 1;
    const char *default_personas[] = {"club", "pro"};
    const char **persona_names = argc > 4 ? (const char **)argv + 4 : default_personas;
    int n = argc > 4 ? argc - 4 : 2;
    if (n > MAX_CARS || laps < 1 || laps > 16) {
        fprintf(stderr, "drive: 1...%d personas and 1...16 laps\n", MAX_CARS);
        return 2;
    }

    rival_world *world = NULL;
    rival_track *track = NULL;
    rival_car *spec = NULL;
    rival_driver *drivers[MAX_CARS] = {0};
    game_car cars[MAX_CARS] = {0};
    double length = 0, interval[MAX_CARS];
    check(rival_world_create(data_dir, &world), "rival_world_create");
    check(rival_track_load(world, track_name, &track), "rival_track_load");
    check(rival_car_load(world, "gt3", &spec), "rival_car_load");
    check(rival_track_length(track, &length), "rival_track_length");
    for (int i = 0; i < n; i++) {
        rival_persona *persona = NULL;
        check(rival_persona_load(world, persona_names[i], &persona), "rival_persona_load");
        check(rival_driver_create(track, spec, persona, 1, i, 30, &drivers[i]), "rival_driver_create");
        rival_persona_destroy(persona); /* the driver keeps what it needs */
        check(rival_driver_decision_interval(drivers[i], &interval[i]), "rival_driver_decision_interval");
        /* On the grid: in a line behind the start, 10 m apart. */
        game_car *car = &cars[i];
        car->s = length - 10.0 * (i + 1);
        check(rival_track_position(track, car->s, 0, &car->x, &car->y), "rival_track_position");
        check(rival_track_heading(track, car->s, &car->yaw), "rival_track_heading");
    }

    const double dt = 1.0 / 120;
    double time = 0;
    for (int running = n; running > 0 && time < 300.0 * laps;) {
        for (int i = 0; i < n; i++) {
            game_car *car = &cars[i];
            if (car->laps >= laps || time < car->next_decision - 1e-9) continue;
            double heading = 0;
            check(rival_track_heading(track, car->s, &heading), "rival_track_heading");
            rival_view view = {0};
            view.time_s = time;
            view.car_index = i;
            view.laps_completed = car->laps;
            view.speed_mps = car->speed;
            view.yaw_rate_radps = car->yaw_rate;
            view.steering_angle_rad = car->wheel_angle;
            view.longitudinal_acceleration_mps2 = car->accel_long;
            view.lateral_acceleration_mps2 = car->accel_lat;
            view.s_m = car->s;
            view.lateral_m = car->lateral;
            view.heading_error_rad = wrap_pi(car->yaw - heading);
            for (int j = 0; j < n && view.nearby_count < RIVAL_MAX_NEARBY; j++) {
                double gap = fmod(cars[j].s - car->s + 1.5 * length, length) - 0.5 * length;
                if (j == i || fabs(gap) > 150) continue;
                rival_nearby_car *other = &view.nearby[view.nearby_count++];
                other->index = j;
                other->gap_m = gap;
                other->lateral_m = cars[j].lateral;
                other->speed_difference_mps = cars[j].speed - car->speed;
                other->lateral_speed_mps = cars[j].lateral_rate;
            }
            check(rival_driver_decide(drivers[i], &view, &car->held), "rival_driver_decide");
            car->next_decision += interval[i];
        }
        time += dt;
        running = 0;
        for (int i = 0; i < n; i++) {
            game_car *car = &cars[i];
            if (car->laps >= laps) continue;
            double before = car->s, before_lateral = car->lateral;
            step(car, car->held, dt);
            check(rival_track_project(track, car->x, car->y, before, &car->s, &car->lateral), "rival_track_project");
            car->lateral_rate = (car->lateral - before_lateral) / dt; /* velocity across the track */
            if (before > length - 50 && car->s < 50) { /* crossed the line */
                if (time > 5) car->lap_times[car->laps++] = time - car->lap_start;
                car->lap_start = time;
            }
            if (car->laps < laps) running++;
        }
    }

    for (int i = 0; i < n; i++) {
        printf("%d\t%s\t%d\t", i, persona_names[i], cars[i].laps);
        for (int k = 0; k < cars[i].laps; k++) printf("%s%.3f", k ? " " : "", cars[i].lap_times[k]);
        printf("\n");
        rival_driver_destroy(drivers[i]);
    }
    rival_car_destroy(spec);
    rival_track_destroy(track);
    rival_world_destroy(world);
    return 0;
}
