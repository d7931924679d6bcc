// SPDX-License-Identifier: Apache-2.0
#include "sim/lorawan/lorawanfleetfec.h"

namespace otalab::sim {

LorawanParityLine lorawanParityLine(int n, int fragments, int fecVersion)
{
    return core::lorawan::parityLine(std::uint32_t(n), std::uint32_t(fragments),
                                     fecVersion == 1 ? core::lorawan::FecVersion::V1 : core::lorawan::FecVersion::V2);
}

} // namespace otalab::sim
