import Calibration
import DriverPersona
import Foundation
import GSL

/// The HTML report of `rival calibrate --report`: how close the fit came, the fitted traits against where they
/// started, the target's and the fitted persona's lap-time distributions (histograms and quantiles), and the
/// fitted persona file.
struct CalibrationReportPage {
    var result: Calibrator.Result
    var base: Persona
    var targetSource: String
    var track: String
    var car: String
    /// `s` for absolute lap times, `x best lap` for relative ones.
    var unit: String
    var command: String

    func html() -> String {
        let title = "Calibration: \(base.name) fitted to \(targetSource)"
        let subtitle = "\(track), \(car); made by `\(command)`."
        let t = SummaryStatistics(result.targetLaps), f = SummaryStatistics(result.fittedLaps)
        var body = HTMLPage.figures([
            ("1-Wasserstein distance", String(format: "%.4f %@", result.distance, unit)),
            ("Kolmogorov-Smirnov", String(format: "%.3f", result.ks)),
            ("Evaluations", String(result.evaluations)),
            ("Wall time", String(format: "%.0f s", result.wallSeconds)),
        ], id: "headline")
        var table = "<table id=\"moments\"><thead><tr><th class=\"text\"></th><th>Laps</th><th>Mean</th><th>SD</th>"
            + "<th>Skewness</th><th>10 %</th><th>50 %</th><th>90 %</th></tr></thead><tbody>"
        for (name, s) in [("target", t), ("fitted", f)] {
            table += "<tr data-set=\"\(name)\"><td class=\"text\">\(name)</td><td>\(s.count)</td>"
                + "<td data-field=\"mean\" data-value=\"\(Markup.exact(s.mean))\">\(String(format: "%.4f", s.mean))</td>"
                + "<td data-field=\"sd\" data-value=\"\(Markup.exact(s.standardDeviation))\">"
                + "\(String(format: "%.4f", s.standardDeviation))</td>"
                + "<td>\(String(format: "%.2f", s.skewness))</td>"
                + [0.1, 0.5, 0.9].map { "<td>\(String(format: "%.4f", s.quantile($0)))</td>" }.joined() + "</tr>"
        }
        table += "</tbody></table>"
        body += HTMLPage.section(id: "moments-section", heading: "Target and fitted laps",
                                 note: "Lap times in \(unit). The fitted row is the persona's simulated laps at the fitted traits.",
                                 table)
        var traits = "<table id=\"parameters\"><thead><tr><th class=\"text\">Trait</th><th>Start</th><th>Fitted</th>"
            + "<th class=\"text\">Unit</th><th class=\"text\">Meaning</th></tr></thead><tbody>"
        for (trait, value) in result.parameters.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let start = base.distribution(trait).mean
            traits += "<tr data-trait=\"\(trait.rawValue)\"><td class=\"text\">\(trait.rawValue)</td>"
                + "<td>\(String(format: "%.4g", start))</td>"
                + "<td data-value=\"\(Markup.exact(value))\">\(String(format: "%.4g", value))</td>"
                + "<td class=\"text\">\(Markup.escape(trait.unit))</td><td class=\"text\">\(Markup.escape(trait.summary))</td></tr>"
        }
        traits += "</tbody></table>"
        body += HTMLPage.section(id: "parameters-section", heading: "Fitted traits",
                                 note: "Start: the mean of the starting persona's distribution for the trait.", traits)
        let plot = CalibrationPlot.svg(target: result.targetLaps, fitted: result.fittedLaps, unit: unit,
                                       title: "\(targetSource) vs fitted \(base.name)")
            .replacingOccurrences(of: "<svg xmlns=", with: "<svg id=\"calibration-plot\" role=\"img\" xmlns=")
        body += HTMLPage.section(id: "plot-section", heading: "Distributions",
                                 note: "Left: histograms of the target (blue) and the fitted persona (red). Right: their "
                                    + "quantiles from 1 to 99 % against each other; on the diagonal they agree.", plot)
        body += HTMLPage.section(id: "persona-section", heading: "Fitted persona file",
                                 "<pre id=\"persona-json\">\(Markup.escape(result.persona.encodeJSON()))</pre>")
        return HTMLPage.document(title: title, subtitle: subtitle, body: body)
    }
}
