// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/framebudget.h"

#include "sim/radio/phytiming.h"

namespace otalab::sim {

std::size_t FrameBudget::overheadBytes() const
{
    return kMacOverheadBytes + kNwkHeaderBytes + kApsHeaderBytes + securityBytes();
}

std::size_t FrameBudget::maxApsPayloadBytes() const
{
    const std::size_t overhead = overheadBytes();
    return overhead >= PhyTiming::kMaxPhyPacketSize ? 0 : PhyTiming::kMaxPhyPacketSize - overhead;
}

FrameBudget FrameBudget::forSecurity(const FrameBudget& base, const NwkSecuritySettings& security)
{
    if (security.mode != NwkSecuritySettings::Mode::Real)
        return base;
    FrameBudget b;
    b.nwkSecurityOverheadBytes = kRealisticNwkSecurityBytes;
    b.apsSecurityOverheadBytes = security.apsEncryption ? kRealisticApsSecurityBytes : 0;
    b.securityCarried = true;
    return b;
}

Result<void> FrameBudget::check(std::size_t apsPayloadBytes) const
{
    if (psduBytes(apsPayloadBytes) <= PhyTiming::kMaxPhyPacketSize)
        return {};
    return fail(Error::at(-1, QStringLiteral("aps.payload"),
                          QStringLiteral("APS payload too long: %1 octets + %2 octets of MAC (11), NWK (8), "
                                         "NWK security (%3), APS (8) and APS security (%4) overhead = %5-octet "
                                         "frame exceeds aMaxPHYPacketSize (127); at most %6 payload octets fit "
                                         "(an OTA Image Block Response with at most %7 data octets)")
                              .arg(apsPayloadBytes)
                              .arg(overheadBytes())
                              .arg(nwkSecurityOverheadBytes)
                              .arg(apsSecurityOverheadBytes)
                              .arg(psduBytes(apsPayloadBytes))
                              .arg(maxApsPayloadBytes())
                              .arg(maxOtaBlockDataBytes())));
}

} // namespace otalab::sim
