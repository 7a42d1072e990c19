import CGSL

/// The outcome of a minimisation.
public struct MinimizationResult: Sendable, Equatable {
    /// The best point found (same dimension as the start).
    public var point: [Double]
    /// The objective at `point`; `+infinity` if the objective was never finite.
    public var value: Double
    /// Iterations performed (each one a simplex step of one or more objective evaluations).
    public var iterations: Int
    /// True when the simplex shrank below the size tolerance; false when the iteration limit was reached or
    /// the method could make no further progress first.
    public var converged: Bool
    /// The final simplex size (GSL's mean distance of the vertices from their centre), in the units of `point`.
    public var simplexSize: Double

    /// A result with the given fields.
    public init(point: [Double], value: Double, iterations: Int, converged: Bool, simplexSize: Double) {
        self.point = point
        self.value = value
        self.iterations = iterations
        self.converged = converged
        self.simplexSize = simplexSize
    }
}

/// Derivative-free minimisation by the Nelder-Mead simplex method (GSL's `nmsimplex2`).
///
/// The objective is any Swift closure of a point; NaN or infinite values are treated as a huge finite value
/// (1e300), so an objective may return NaN where it is undefined and the simplex moves away from there.
/// Finds a local minimum only. Every GSL object is freed before `minimize` returns.
///
/// Floating point limits how finely a smooth minimum can be located: near a minimum of value f*, points closer
/// than about sqrt(eps |f*| / curvature) (eps = 2.2e-16) have the same objective value, so a `sizeTolerance`
/// below that is never met and the run ends at `maxIterations` with `converged` false (the point is still
/// as good as the objective allows). With f* near 1 and unit curvature, tolerances above 1e-7 are safe.
public struct NelderMead: Sendable, Equatable {
    /// Objective values that are not finite are replaced by this before GSL sees them.
    public static let nonFiniteReplacement = 1e300

    /// The most iterations to run (> 0).
    public var maxIterations: Int
    /// Stop when the simplex size falls below this (> 0, in the units of the point).
    public var sizeTolerance: Double

    /// A minimiser that runs at most `maxIterations` iterations and stops when the simplex size falls below
    /// `sizeTolerance`. Both are checked by `minimize`.
    public init(maxIterations: Int = 2000, sizeTolerance: Double = 1e-8) {
        self.maxIterations = maxIterations
        self.sizeTolerance = sizeTolerance
    }

    /// Minimises `objective` starting from `start`, with an initial simplex of steps `step` (one per
    /// coordinate, non-zero, in the coordinate's unit; about a tenth of the expected distance to the
    /// minimum works well).
    ///
    /// Throws `GSLError.invalidInput` for an empty start, a step count that differs from the start's,
    /// a non-finite start or step, a zero step, or a non-positive limit or tolerance; `GSLError.gsl` if GSL
    /// cannot allocate or set up the simplex. Not reaching the tolerance is not an error: check `converged`.
    public func minimize(
        start: [Double], step: [Double], objective: ([Double]) -> Double
    ) throws(GSLError) -> MinimizationResult {
        try validate(start: start, step: step)
        GSLRuntime.configure()
        return try withoutActuallyEscaping(objective) { (escapable) throws(GSLError) -> MinimizationResult in
            let box = ObjectiveBox(objective: escapable, dimension: start.count)
            return try withExtendedLifetime(box) { () throws(GSLError) -> MinimizationResult in
                try run(start: start, step: step, box: box)
            }
        }
    }

    private func validate(start: [Double], step: [Double]) throws(GSLError) {
        guard !start.isEmpty else { throw .invalidInput("Nelder-Mead: the start point is empty") }
        guard step.count == start.count else {
            throw .invalidInput("Nelder-Mead: \(step.count) steps for a \(start.count)-dimensional start point")
        }
        for (i, x) in start.enumerated() where !x.isFinite {
            throw .invalidInput("Nelder-Mead: start[\(i)] is \(x), not a finite number")
        }
        for (i, s) in step.enumerated() where !(s.isFinite && s != 0) {
            throw .invalidInput("Nelder-Mead: step[\(i)] is \(s), expected a finite non-zero number")
        }
        guard maxIterations > 0 else {
            throw .invalidInput("Nelder-Mead: maxIterations is \(maxIterations), expected at least 1")
        }
        guard sizeTolerance > 0, sizeTolerance.isFinite else {
            throw .invalidInput("Nelder-Mead: sizeTolerance is \(sizeTolerance), expected a finite number above 0")
        }
    }

    private func run(start: [Double], step: [Double], box: ObjectiveBox) throws(GSLError) -> MinimizationResult {
        let n = start.count
        guard let minimizer = gsl_multimin_fminimizer_alloc(rival_gsl_multimin_fminimizer_nmsimplex2(), n) else {
            throw .gsl(code: Int32(GSL_ENOMEM), context: "Nelder-Mead: gsl_multimin_fminimizer_alloc")
        }
        defer { gsl_multimin_fminimizer_free(minimizer) }
        guard let x = gsl_vector_alloc(n) else {
            throw .gsl(code: Int32(GSL_ENOMEM), context: "Nelder-Mead: gsl_vector_alloc")
        }
        defer { gsl_vector_free(x) }
        guard let steps = gsl_vector_alloc(n) else {
            throw .gsl(code: Int32(GSL_ENOMEM), context: "Nelder-Mead: gsl_vector_alloc")
        }
        defer { gsl_vector_free(steps) }
        for i in 0..<n {
            gsl_vector_set(x, i, start[i])
            gsl_vector_set(steps, i, step[i])
        }
        var function = gsl_multimin_function(
            f: nelderMeadCallback, n: n, params: Unmanaged.passUnretained(box).toOpaque())
        let setStatus = gsl_multimin_fminimizer_set(minimizer, &function, x, steps)
        guard setStatus == 0 else {
            throw .gsl(code: setStatus, context: "Nelder-Mead: gsl_multimin_fminimizer_set")
        }
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            if gsl_multimin_fminimizer_iterate(minimizer) != 0 { break }  // no further progress possible
            if gsl_multimin_test_size(gsl_multimin_fminimizer_size(minimizer), sizeTolerance) == 0 {
                converged = true
                break
            }
        }
        let size = gsl_multimin_fminimizer_size(minimizer)
        if !converged, size < sizeTolerance { converged = true }
        let best = gsl_multimin_fminimizer_x(minimizer)
        let point = (0..<n).map { gsl_vector_get(best, $0) }
        let raw = gsl_multimin_fminimizer_minimum(minimizer)
        return MinimizationResult(
            point: point, value: raw >= Self.nonFiniteReplacement ? .infinity : raw,
            iterations: iterations, converged: converged, simplexSize: size)
    }
}

/// Holds the Swift objective and a reusable argument buffer while GSL calls back into Swift.
private final class ObjectiveBox {
    let objective: ([Double]) -> Double
    var argument: [Double]

    init(objective: @escaping ([Double]) -> Double, dimension: Int) {
        self.objective = objective
        argument = [Double](repeating: 0, count: dimension)
    }
}

/// The C callback GSL calls: recovers the box from `params`, copies the point and maps non-finite values.
private let nelderMeadCallback: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?) -> Double = {
    vector, params in
    guard let vector, let params else { return NelderMead.nonFiniteReplacement }
    let box = Unmanaged<ObjectiveBox>.fromOpaque(params).takeUnretainedValue()
    for i in 0..<box.argument.count { box.argument[i] = gsl_vector_get(vector, i) }
    let value = box.objective(box.argument)
    return value.isFinite ? value : NelderMead.nonFiniteReplacement
}
