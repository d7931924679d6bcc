// SPDX-License-Identifier: Apache-2.0
#include "sim/energy/energycomponent.h"

namespace otalab::sim {

const char* toString(RadioState state)
{
    switch (state) {
    case RadioState::Sleep: return "sleep";
    case RadioState::Idle: return "idle";
    case RadioState::Rx: return "rx";
    case RadioState::Tx: return "tx";
    }
    return "?";
}

const char* toString(CpuState state)
{
    switch (state) {
    case CpuState::Sleep: return "sleep";
    case CpuState::Active: return "active";
    case CpuState::FlashErase: return "flash-erase";
    case CpuState::FlashWrite: return "flash-write";
    }
    return "?";
}

} // namespace otalab::sim
