// Umbrella header for libgsl as seen from Swift.
//
// Swift 6 rejects libgsl's global type pointers (gsl_rng_mt19937, ...) as shared mutable state, so each one
// used by the GSL module gets a static inline accessor here.
#ifndef RIVAL_CGSL_SHIM_H
#define RIVAL_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_interp.h>
#include <gsl/gsl_spline.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_sf_gamma.h>

static inline const gsl_rng_type *rival_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_interp_type *rival_gsl_interp_cspline_periodic(void) { return gsl_interp_cspline_periodic; }
static inline const gsl_interp_type *rival_gsl_interp_cspline(void) { return gsl_interp_cspline; }
static inline const gsl_multimin_fminimizer_type *rival_gsl_multimin_fminimizer_nmsimplex2(void) {
    return gsl_multimin_fminimizer_nmsimplex2;
}

#endif
