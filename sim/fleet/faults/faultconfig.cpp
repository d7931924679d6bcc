// SPDX-License-Identifier: Apache-2.0
#include "sim/fleet/faults/faultconfig.h"

#include <array>

namespace otalab::sim::faults {

namespace {
constexpr std::array<const char*, kFaultKindCount> kFaultNames{
    "powerLoss", "serverCrash", "linkOutage", "gatewayOutage", "clockJump", "badImage"};
constexpr std::array<const char*, kAttackKindCount> kAttackNames{
    "tamperedImage", "wrongKey", "downgrade", "replay", "forgedFragment", "forgedStreamBlock", "unauthorisedClient"};
} // namespace

QString faultKindName(FaultKind kind)
{
    return QString::fromLatin1(kFaultNames[std::size_t(kind)]);
}

std::optional<FaultKind> parseFaultKind(QStringView name)
{
    for (std::size_t i = 0; i < kFaultNames.size(); ++i)
        if (name == QLatin1StringView(kFaultNames[i]))
            return FaultKind(i);
    return std::nullopt;
}

QString badImageVariantName(BadImageVariant variant)
{
    return variant == BadImageVariant::DoesNotBoot ? QStringLiteral("doesNotBoot") : QStringLiteral("failsSelfTest");
}

QString attackKindName(AttackKind kind)
{
    return QString::fromLatin1(kAttackNames[std::size_t(kind)]);
}

std::optional<AttackKind> parseAttackKind(QStringView name)
{
    for (std::size_t i = 0; i < kAttackNames.size(); ++i)
        if (name == QLatin1StringView(kAttackNames[i]))
            return AttackKind(i);
    return std::nullopt;
}

} // namespace otalab::sim::faults
