// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the MCUboot power-cut campaign (core/mcuboot/powercut_campaign.h):
// the input picks a strategy, swap type, layout (write alignment 4/8, 512/1024-byte
// sectors, primary one sector larger), image sizes and a sequence of up to 8 cut points;
// a board that does not recover from that sequence (wrong or invalid image, inconsistent
// trailer, unstable next boot, failed revert) traps with the problem printed.
//   input: [strategy][swap][flags][new body u16 LE][old body u16 LE][cut u16 LE]...
#include "core/mcuboot/powercut_campaign.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace {

namespace mb = otalab::core::mcuboot;

int u16(const std::uint8_t* p) { return p[0] | (p[1] << 8); }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 7)
        return 0;
    static const otalab::core::crypto::PKey key = *mb::powerCutKeyFromSeed(7);
    const mb::BootStrategy strategies[] = {mb::BootStrategy::SwapMove, mb::BootStrategy::OverwriteOnly,
                                           mb::BootStrategy::DirectXipWithRevert};
    mb::PowerCutConfig config;
    config.strategy = strategies[data[0] % 3];
    const std::vector<mb::PowerCutSwap> swaps = mb::powerCutSwapsFor(config.strategy);
    const mb::PowerCutSwap swap = swaps[data[1] % swaps.size()];
    config.swaps = {swap};
    config.writeAlign = (data[2] & 1) ? 8 : 4;
    config.sectorSize = (data[2] & 2) ? 512 : 1024;
    config.primaryLarger = (data[2] & 4) && config.strategy == mb::BootStrategy::SwapMove;
    config.newBodyBytes = 1 + u16(data + 3) % 6000;
    config.oldBodyBytes = 1 + u16(data + 5) % 6000;
    config.signingKey = key;
    std::vector<int> cuts;
    for (std::size_t at = 7; at + 1 < size && cuts.size() < 8; at += 2)
        cuts.push_back(1 + u16(data + at) % 400);
    auto setup = mb::powerCutSetup(config);
    if (!setup)
        return 0;
    auto problem = mb::runPowerCutSequence(config, *setup, swap, cuts);
    if (!problem)
        return 0;   // the layout does not take the images
    if (*problem) {
        std::fprintf(stderr, "%s %s cuts", mb::bootStrategyName(config.strategy).toUtf8().constData(),
                     mb::powerCutSwapName(swap).toUtf8().constData());
        for (int c : cuts)
            std::fprintf(stderr, " %d", c);
        std::fprintf(stderr, ": %s\n", (*problem)->toUtf8().constData());
        __builtin_trap();
    }
    return 0;
}
