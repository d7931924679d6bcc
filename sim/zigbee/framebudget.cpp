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

Result<void> FrameBudget::check(std::size_t apsPayloadBytes) const
{
    if (psduBytes(apsPayloadBytes) <= PhyTiming::kMaxPhyPacketSize)
        return {};
    return fail(Error::at(-1, QStringLiteral("aps.payload"),
                          QStringLiteral("APS payload too long: %1 octets + %2 octets of MAC (11), NWK (8), "
                                         "NWK security (%3), APS (8) and APS security (%4) overhead = %5-octet "
                                         "frame exceeds aMaxPHYPacketSize (127); at most %6 payload octets fit")
                              .arg(apsPayloadBytes)
                              .arg(overheadBytes())
                              .arg(nwkSecurityOverheadBytes)
                              .arg(apsSecurityOverheadBytes)
                              .arg(psduBytes(apsPayloadBytes))
                              .arg(maxApsPayloadBytes())));
}

} // namespace otalab::sim
