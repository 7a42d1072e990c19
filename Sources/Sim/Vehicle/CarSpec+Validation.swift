extension CarSpec {
    /// The plausible range of one numeric field, with the field's JSON path and what the number means.
    struct NumericRule {
        let path: String
        let value: Double
        let range: ClosedRange<Double>
        let meaning: String

        init(_ path: String, _ value: Double, _ range: ClosedRange<Double>, _ meaning: String) {
            self.path = path
            self.value = value
            self.range = range
            self.meaning = meaning
        }

        /// `expected a number in 300...3000 (kg, with driver, without fuel)`.
        var expectation: String {
            "expected a number in \(CarSpec.text(range.lowerBound))...\(CarSpec.text(range.upperBound)) (\(meaning))"
        }
    }

    /// Every numeric field with its range, in file order. A test checks that each numeric key of a car file is here.
    var numericRules: [NumericRule] {
        [
            NumericRule("chassis.massKg", chassis.massKg, 300...3000, "kg, with driver, without fuel"),
            NumericRule("chassis.yawInertiaKgM2", chassis.yawInertiaKgM2, 100...10000, "kg m^2"),
            NumericRule("chassis.wheelbaseM", chassis.wheelbaseM, 1.5...4.0, "m"),
            NumericRule("chassis.cogToFrontAxleM", chassis.cogToFrontAxleM, 0.2...3.8, "m"),
            NumericRule("chassis.cogHeightM", chassis.cogHeightM, 0.1...1.0, "m"),
            NumericRule("chassis.trackWidthM", chassis.trackWidthM, 0.8...2.2, "m"),
            NumericRule("chassis.overallWidthM", chassis.overallWidthM, 1.0...2.5, "m"),
            NumericRule("chassis.overallLengthM", chassis.overallLengthM, 2.5...7.0, "m"),
            NumericRule("tyre.lateral.B", tyre.lateral.B, 1...60, "stiffness factor, 1/rad"),
            NumericRule("tyre.lateral.C", tyre.lateral.C, 1.0...2.5, "shape factor"),
            NumericRule("tyre.lateral.D", tyre.lateral.D, 0.1...3.0, "peak friction coefficient"),
            NumericRule("tyre.lateral.E", tyre.lateral.E, -5...0.99, "curvature factor"),
            NumericRule("tyre.longitudinal.B", tyre.longitudinal.B, 1...60, "stiffness factor"),
            NumericRule("tyre.longitudinal.C", tyre.longitudinal.C, 1.0...2.5, "shape factor"),
            NumericRule("tyre.longitudinal.D", tyre.longitudinal.D, 0.1...3.0, "peak friction coefficient"),
            NumericRule("tyre.longitudinal.E", tyre.longitudinal.E, -5...0.99, "curvature factor"),
            NumericRule("tyre.loadSensitivity", tyre.loadSensitivity, 0...0.5, "grip loss per unit of extra relative load"),
            NumericRule("tyre.rearLateralGripRatio", tyre.rearLateralGripRatio, 0.8...1.25, "rear lateral peak / front"),
            NumericRule(
                "tyre.rollingResistanceCoefficient", tyre.rollingResistanceCoefficient, 0.001...0.05,
                "force per unit vertical load"),
            NumericRule("tyre.wearPerMegajoule", tyre.wearPerMegajoule, 0...0.01, "wear per MJ of tyre work"),
            NumericRule("tyre.gripLossAtFullWear", tyre.gripLossAtFullWear, 0...0.6, "fraction of grip lost at wear 1"),
            NumericRule("powertrain.powerW", powertrain.powerW, 10_000...2_000_000, "W"),
            NumericRule("powertrain.drivetrainEfficiency", powertrain.drivetrainEfficiency, 0.5...1.0, "fraction"),
            NumericRule("powertrain.maxDriveForceN", powertrain.maxDriveForceN, 500...50_000, "N"),
            NumericRule("powertrain.fuelCapacityKg", powertrain.fuelCapacityKg, 0...500, "kg"),
            NumericRule(
                "powertrain.fuelBurnKgPerSecondAtFullThrottle", powertrain.fuelBurnKgPerSecondAtFullThrottle,
                0...0.2, "kg/s"),
            NumericRule("brakes.maxForceN", brakes.maxForceN, 1000...100_000, "N"),
            NumericRule("brakes.frontFraction", brakes.frontFraction, 0.3...0.8, "fraction of brake force at the front"),
            NumericRule("aero.dragAreaM2", aero.dragAreaM2, 0.1...3.0, "CdA, m^2"),
            NumericRule("aero.downforceAreaM2", aero.downforceAreaM2, 0...10, "ClA, m^2"),
            NumericRule("aero.frontFraction", aero.frontFraction, 0...1, "fraction of downforce at the front"),
            NumericRule("steering.maxAngleRad", steering.maxAngleRad, 0.05...1.0, "rad"),
            NumericRule("steering.maxRateRadPerS", steering.maxRateRadPerS, 0.1...10, "rad/s"),
        ]
    }

    /// Checks the format tag, the texts, every number's range and the dimensions against each other.
    ///
    /// - Parameter file: the name used in the error (the file the spec came from, or a label).
    /// - Throws: the first problem found, naming the JSON path, the value and the expected range.
    public func validate(file: String) throws(LoadError) {
        if format != Self.currentFormat {
            throw LoadError(
                file: file, location: "format", value: Self.quoted(format),
                expected: "expected \(Self.quoted(Self.currentFormat))")
        }
        if name.allSatisfy(\.isWhitespace) {
            throw LoadError(file: file, location: "name", value: Self.quoted(name), expected: "expected a non-empty name")
        }
        if sources.isEmpty {
            throw LoadError(file: file, location: "sources", value: "[]", expected: "expected at least one citation")
        }
        for (index, source) in sources.enumerated() where source.allSatisfy(\.isWhitespace) {
            throw LoadError(
                file: file, location: "sources[\(index)]", value: Self.quoted(source),
                expected: "expected a non-empty citation")
        }
        for rule in numericRules where !(rule.value.isFinite && rule.range.contains(rule.value)) {
            throw LoadError(file: file, location: rule.path, value: Self.text(rule.value), expected: rule.expectation)
        }
        let wheelbase = chassis.wheelbaseM
        if chassis.cogToFrontAxleM > wheelbase - 0.2 {
            throw LoadError(
                file: file, location: "chassis.cogToFrontAxleM", value: Self.text(chassis.cogToFrontAxleM),
                expected: "expected at most chassis.wheelbaseM - 0.2 = \(Self.text(wheelbase - 0.2)) (m)")
        }
        if chassis.trackWidthM > chassis.overallWidthM {
            throw LoadError(
                file: file, location: "chassis.trackWidthM", value: Self.text(chassis.trackWidthM),
                expected: "expected at most chassis.overallWidthM = \(Self.text(chassis.overallWidthM)) (m)")
        }
        if chassis.overallLengthM < wheelbase {
            throw LoadError(
                file: file, location: "chassis.overallLengthM", value: Self.text(chassis.overallLengthM),
                expected: "expected at least chassis.wheelbaseM = \(Self.text(wheelbase)) (m)")
        }
    }

    /// A number as a user would write it: `1300`, `-0.2`, `nan`.
    static func text(_ value: Double) -> String { JSONFile.text(value) }

    /// A string in JSON quotes.
    static func quoted(_ text: String) -> String { "\"\(text)\"" }
}
