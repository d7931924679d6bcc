// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as a LoRaWAN 1.0.x PHYPayload. Checks that a parsed
// frame re-encodes to the same bytes (MIC aside), that openDataFrame never accepts a
// frame whose MIC it did not compute, and the counter reconstruction's invariants.
#include "core/lorawan/phypayload.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace otalab::core::lorawan;

SessionKeys fixedKeys()
{
    SessionKeys k;
    for (int i = 0; i < 16; ++i) {
        k.nwkSKey[size_t(i)] = std::uint8_t(0x20 + i);
        k.appSKey[size_t(i)] = std::uint8_t(0x90 - i);
    }
    return k;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char*>(data), qsizetype(size));
    static const SessionKeys keys = fixedKeys();

    // Counter invariants, from the first bytes.
    if (size >= 6) {
        const std::uint16_t wire = std::uint16_t(data[0] | data[1] << 8);
        const std::uint32_t last = std::uint32_t(data[2] | data[3] << 8 | data[4] << 16 | std::uint32_t(data[5]) << 24);
        if (auto full = reconstructFCnt(wire, last)) {
            if (*full <= last || std::uint16_t(*full) != wire || *full - last >= kMaxFCntGap)
                std::abort();
        } else if (std::uint16_t(wire - std::uint16_t(last)) != 0 && std::uint16_t(wire - std::uint16_t(last)) < kMaxFCntGap
                   && last < 0xffff0000u) {
            std::abort();  // an in-gap counter of a young session must be accepted
        }
    }

    auto frame = parseDataFrame(input);
    if (!frame)
        return 0;
    if (frame->fOpts.size() > kMaxFOptsSize || frame->fCnt > 0xffff)
        std::abort();
    // Decrypt with the wire counter, re-encode: identical bytes up to the MIC.
    DataFrame plain = *frame;
    plain.frmPayload = decryptPayload(*frame, keys, frame->fCnt);
    auto again = encodeDataFrame(plain, keys);
    if (!again || again->size() != input.size() || QByteArrayView(*again).first(size - 4) != input.first(size - 4))
        std::abort();
    // The re-encoded frame carries our MIC: it opens, and to the same plaintext.
    auto opened = openDataFrame(*again, keys, std::nullopt);
    if (!opened || opened->frmPayload != plain.frmPayload || opened->fCnt != frame->fCnt)
        std::abort();
    // The input opens only if its MIC happens to be the right one.
    if (openDataFrame(input, keys, std::nullopt) && *again != input.toByteArray())
        std::abort();
    return 0;
}
