import Foundation
import Sim

/// A circuit drawn to scale (north up, 1 m = the same length on both axes): the asphalt between the edges, the
/// start line, a scale bar, and helpers to draw lines coloured by speed and markers in world coordinates.
struct TrackMap {
    let track: Track
    let width: Double, height: Double
    private let scale: Double, minX: Double, maxY: Double, margin = 24.0

    /// A map at most `width` x `maxHeight` pixels, as large as the circuit's shape allows; the height follows.
    init(track: Track, width: Double = 760, maxHeight: Double = 900) {
        self.track = track
        var xs: [Double] = [], ys: [Double] = []
        for i in 0..<track.count {
            for lateral in [track.widthLeft[i], -track.widthRight[i]] {
                let p = track.point(s: Double(i) * track.spacing, lateral: lateral)
                xs.append(p.x); ys.append(p.y)
            }
        }
        let lo = (xs.min() ?? 0, ys.min() ?? 0), hi = (xs.max() ?? 1, ys.max() ?? 1)
        let spanX = max(hi.0 - lo.0, 1), spanY = max(hi.1 - lo.1, 1)
        scale = min((width - 2 * margin) / spanX, (maxHeight - 2 * margin - 30) / spanY)
        self.width = width
        height = spanY * scale + 2 * margin + 30
        minX = lo.0; maxY = hi.1
    }

    /// Page coordinates of a world point.
    func page(_ x: Double, _ y: Double) -> (Double, Double) {
        (margin + (x - minX) * scale, margin + (maxY - y) * scale)
    }

    /// Metres per pixel.
    var metresPerPixel: Double { 1 / scale }

    /// The asphalt (filled between the two edges), the edges, the start/finish line and a scale bar.
    func base() -> String {
        var left = "", right = ""
        let step = max(1, Int(2 / track.spacing))
        for i in stride(from: 0, to: track.count, by: step) {
            let s = Double(i) * track.spacing
            let a = track.point(s: s, lateral: track.widthLeft[i]), b = track.point(s: s, lateral: -track.widthRight[i])
            let pa = page(a.x, a.y), pb = page(b.x, b.y)
            left += (left.isEmpty ? "M" : "L") + Markup.n(pa.0) + " " + Markup.n(pa.1)
            right += (right.isEmpty ? "M" : "L") + Markup.n(pb.0) + " " + Markup.n(pb.1)
        }
        var s = "<g class=\"circuit\"><path class=\"asphalt\" d=\"\(left)Z\(right)Z\" fill=\"#d9d9d9\" fill-rule=\"evenodd\" "
            + "stroke=\"#777\" stroke-width=\"0.8\"/>"
        let a = track.point(s: 0, lateral: track.widthLeft[0] + 4), b = track.point(s: 0, lateral: -track.widthRight[0] - 4)
        let pa = page(a.x, a.y), pb = page(b.x, b.y)
        s += "<line class=\"start-line\" x1=\"\(Markup.n(pa.0))\" y1=\"\(Markup.n(pa.1))\" x2=\"\(Markup.n(pb.0))\" "
            + "y2=\"\(Markup.n(pb.1))\" stroke=\"#111\" stroke-width=\"3\"><title>start/finish</title></line></g>\n"
        // Scale bar: a round length near a fifth of the width.
        let target = width / 5 / scale
        let magnitude = pow(10, log10(target).rounded(.down))
        let metres = [1.0, 2, 5, 10].map { $0 * magnitude }.last { $0 <= target } ?? magnitude
        let y = height - 16
        s += "<g class=\"scale-bar\" font-size=\"11\"><line x1=\"\(margin)\" x2=\"\(Markup.n(margin + metres * scale))\" "
            + "y1=\"\(Markup.n(y))\" y2=\"\(Markup.n(y))\" stroke=\"#111\" stroke-width=\"3\"/>"
            + "<text x=\"\(Markup.n(margin + metres * scale + 6))\" y=\"\(Markup.n(y + 4))\">\(Int(metres)) m</text></g>\n"
        return s
    }

    /// A thin reference line through world points (for example the racing line).
    func polyline(xs: [Double], ys: [Double], attributes: String) -> String {
        var d = ""
        for i in xs.indices {
            let p = page(xs[i], ys[i])
            d += (d.isEmpty ? "M" : "L") + Markup.n(p.0) + " " + Markup.n(p.1)
        }
        return "<path d=\"\(d)\" fill=\"none\" \(attributes)/>"
    }

    /// A line through world points coloured by speed: one `<polyline>` per run of points in the same colour band
    /// (`bands` bands between `minSpeed` and `maxSpeed`, m/s).
    func speedLine(xs: [Double], ys: [Double], speeds: [Double], minSpeed: Double, maxSpeed: Double,
                   bands: Int = 16, strokeWidth: Double = 2.5) -> String {
        guard xs.count >= 2 else { return "" }
        func band(_ v: Double) -> Int {
            let f = (v - minSpeed) / max(maxSpeed - minSpeed, 1e-9)
            return min(max(Int(f * Double(bands)), 0), bands - 1)
        }
        var out = "", points = "", current = band(speeds[0])
        func flush() {
            let colour = Palette.speed((Double(current) + 0.5) / Double(bands))
            out += "<polyline points=\"\(points)\" stroke=\"\(colour)\"/>"
        }
        for i in xs.indices {
            let p = page(xs[i], ys[i])
            let here = Markup.n(p.0) + "," + Markup.n(p.1)
            let b = band(speeds[i])
            if b != current && !points.isEmpty {
                points += " " + here
                flush()
                points = here
                current = b
            } else {
                points += (points.isEmpty ? "" : " ") + here
            }
        }
        flush()
        return "<g class=\"speed-line\" fill=\"none\" stroke-width=\"\(strokeWidth)\" stroke-linejoin=\"round\" "
            + "stroke-linecap=\"round\">\(out)</g>"
    }

    /// A horizontal colour key for speeds between `minSpeed` and `maxSpeed` (m/s), labelled in km/h, at the top
    /// right of the map.
    func speedLegend(minSpeed: Double, maxSpeed: Double) -> String {
        let w = 180.0, x0 = width - w - 20, y0 = 10.0
        var s = "<g class=\"speed-legend\" font-size=\"11\">"
        for k in 0..<18 {
            s += "<rect x=\"\(Markup.n(x0 + Double(k) * w / 18))\" y=\"\(y0)\" width=\"\(Markup.n(w / 18 + 0.5))\" "
                + "height=\"9\" fill=\"\(Palette.speed((Double(k) + 0.5) / 18))\"/>"
        }
        s += "<text x=\"\(Markup.n(x0))\" y=\"\(Markup.n(y0 + 21))\">\(Int((minSpeed * 3.6).rounded())) km/h</text>"
        s += "<text x=\"\(Markup.n(x0 + w))\" y=\"\(Markup.n(y0 + 21))\" text-anchor=\"end\">"
            + "\(Int((maxSpeed * 3.6).rounded())) km/h</text></g>\n"
        return s
    }
}
