// SPDX-License-Identifier: Apache-2.0
// Battery: a capacity option and the share of it an amount of charge or energy is.
#pragma once

#include <QString>

#include <optional>

namespace otalab::sim {

// A primary cell (or pack) described by its rated capacity (mAh) and nominal voltage
// (V). Energy content is taken as capacity × nominal voltage: the discharge curve,
// temperature, pulse-load and self-discharge effects are not modelled, so shares are
// of the *rated* content (first-order estimate, good for comparing update plans).
struct Battery {
    QString name;
    double capacityMilliampHours = 0.0;
    double nominalVoltageV = 0.0;

    // CR2032 lithium coin cell: 225 mAh, 3.0 V (typical, from the Energizer CR2032
    // product datasheet: 225 mAh rated to 2.0 V at a 15 kΩ load).
    static Battery cr2032();
    // Two alkaline AA cells in series: 2500 mAh, 3.0 V (typical, from alkaline AA
    // datasheets such as Energizer E91: 2500–3000 mAh depending on drain; the low
    // end is used).
    static Battery twoAa();
    // By name: "CR2032", "2xAA" (case-insensitive); nullopt otherwise.
    static std::optional<Battery> byName(const QString& name);

    // Rated energy content (J) = mAh × 3.6 C/mAh × V.
    double energyJoules() const { return capacityMilliampHours * 3.6 * nominalVoltageV; }
    // Fraction (0..1+, not clamped) of the rated energy that `joules` is.
    double shareOfEnergy(double joules) const;
    // Fraction of the rated capacity that `milliampHours` of charge is.
    double shareOfCharge(double milliampHours) const;
};

} // namespace otalab::sim
