// SPDX-License-Identifier: Apache-2.0
#include "sim/energy/battery.h"

namespace otalab::sim {

Battery Battery::cr2032()
{
    return Battery{QStringLiteral("CR2032"), 225.0, 3.0};
}

Battery Battery::twoAa()
{
    return Battery{QStringLiteral("2xAA"), 2500.0, 3.0};
}

std::optional<Battery> Battery::byName(const QString& name)
{
    if (name.compare(QLatin1String("CR2032"), Qt::CaseInsensitive) == 0)
        return cr2032();
    if (name.compare(QLatin1String("2xAA"), Qt::CaseInsensitive) == 0)
        return twoAa();
    return std::nullopt;
}

double Battery::shareOfEnergy(double joules) const
{
    const double content = energyJoules();
    return content > 0.0 ? joules / content : 0.0;
}

double Battery::shareOfCharge(double milliampHours) const
{
    return capacityMilliampHours > 0.0 ? milliampHours / capacityMilliampHours : 0.0;
}

} // namespace otalab::sim
