/// Light low-pass filters for the raw centreline points of a closed loop, applied before splining.
///
/// The source centrelines (OpenStreetMap traces, about 5 m apart) have small kinks: single points off the line by
/// a few decimetres, which a cubic spline turns into curvature spikes (Spa's La Source: 0.18 1/m raw, 0.14 after
/// one pass). Positions get Taubin's lambda/mu smoothing (lambda 0.5, mu -0.53), which removes the shortest
/// wavelengths without shrinking corners the way plain averaging does; one pass moves the shipped points by at
/// most 0.16 m and changes lap lengths by less than 0.5 m. Widths get a [1, 2, 1] / 4 average, which keeps them
/// positive.
enum TrackSmoothing {
    /// Taubin's shrinking step.
    static let lambda = 0.5
    /// Taubin's inflating step.
    static let mu = -0.53

    /// Smooths the closed loop of points in place: `passes` passes (0 leaves them unchanged).
    static func smooth(_ points: inout [TrackPoint], passes: Int) {
        let n = points.count
        guard n >= 3, passes > 0 else { return }
        var scratch = points
        for _ in 0..<passes {
            for factor in [lambda, mu] {
                for i in 0..<n {
                    let prev = points[(i + n - 1) % n], next = points[(i + 1) % n], p = points[i]
                    scratch[i] = p
                    scratch[i].x = p.x + factor * (0.5 * (prev.x + next.x) - p.x)
                    scratch[i].y = p.y + factor * (0.5 * (prev.y + next.y) - p.y)
                }
                swap(&points, &scratch)
            }
            for i in 0..<n {
                let prev = points[(i + n - 1) % n], next = points[(i + 1) % n], p = points[i]
                scratch[i] = p
                scratch[i].widthRight = 0.25 * (prev.widthRight + 2 * p.widthRight + next.widthRight)
                scratch[i].widthLeft = 0.25 * (prev.widthLeft + 2 * p.widthLeft + next.widthLeft)
            }
            swap(&points, &scratch)
        }
    }
}
