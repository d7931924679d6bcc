// SPDX-License-Identifier: Apache-2.0
// Internal to FuotaDevice: one fragmentation session slot (FragIndex 0..3).
#pragma once

#include "core/lorawan/datablockintegrity.h"
#include "core/lorawan/fragdecoder.h"
#include "core/lorawan/fragsessioncommands.h"
#include "core/lorawan/fuotadevice.h"

namespace otalab::core::lorawan {

struct FuotaDevice::Session {
    fragmentation::FragSessionSetupReq setup;  // as accepted
    FragDecoder decoder;
    DataBlockVerifier verifier;                 // the MIC the setup carried (v1: its Descriptor)
    bool reassembled = false;
};

} // namespace otalab::core::lorawan
