// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: TS004 fragment streams into FragDecoder, FecRankTracker and the
// DataFragment parser. Byte 0 picks the mode:
//  - even: a session shape from bytes 1..4 and then records (u16 counter, u8 length,
//    payload) of arbitrary frames — counter 0, out of range, wrong lengths, duplicates;
//    nothing may crash, and for every frame the byte decoder accepts, the symbolic tracker
//    must agree on completion and the missing count;
//  - odd: a real image (from the input) encoded with either version, then frames chosen
//    and ordered by the input; if the decoder completes, its data must be the image.
#include "core/lorawan/datafragment.h"
#include "core/lorawan/fecranktracker.h"
#include "core/lorawan/fragdecoder.h"
#include "core/lorawan/fragencoder.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>

namespace {

using namespace otalab::core::lorawan;

struct Input {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t pos = 0;
    bool more() const { return pos < size; }
    std::uint8_t u8() { return pos < size ? data[pos++] : 0; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(u8() | (u8() << 8)); }
};

const ParityLine& cachedLine(std::map<std::uint32_t, ParityLine>& lines, std::uint32_t n, std::uint32_t m, FecVersion v)
{
    return lines.try_emplace(n, parityLine(n, m, v)).first->second;
}

void arbitraryFrames(Input& in)
{
    const std::uint32_t m = 1 + in.u8() % 200;
    const std::uint32_t fragSize = 1 + in.u8() % 16;
    const FecVersion v = in.u8() & 1 ? FecVersion::V1 : FecVersion::V2;
    const std::uint32_t maxLosses = in.u8();
    auto dec = FragDecoder::create({m, fragSize, 0, v}, maxLosses ? maxLosses : FragDecoder::kAnyLosses);
    if (!dec)
        std::abort();
    FecRankTracker tracker(m, maxLosses ? maxLosses : kMaxFragmentCounter);
    std::map<std::uint32_t, ParityLine> lines;
    while (in.more()) {
        std::uint32_t counter = in.u16();
        if (counter & 0x8000) // mostly counters near the session, sometimes anything
            counter = counter % (m + 40);
        const std::uint32_t length = in.u8() % 20;
        QByteArray payload;
        for (std::uint32_t i = 0; i < length; ++i)
            payload.append(static_cast<char>(in.u8()));
        // The same bytes through the DataFragment parser: never crashes, errors carry offsets.
        QByteArray command("\x08", 1);
        command.append(static_cast<char>(counter & 0xff)).append(static_cast<char>((counter >> 8) & 0xff)).append(payload);
        if (auto parsed = parseDataFragment(command); parsed && parsed->payload != payload)
            std::abort();
        const FragDecoder::Status s = dec->add(counter, payload);
        if (s.state == FragDecoder::State::Rejected)
            continue;
        if (counter <= m)
            tracker.addUncoded(counter);
        else
            tracker.addParity(cachedLine(lines, counter - m, m, v));
        if (tracker.isComplete() != dec->isComplete() || tracker.missingCount() != dec->missingCount()
            || tracker.receivedCount() != dec->receivedCount())
            std::abort();
        if (dec->isComplete() && dec->data().size() != static_cast<qsizetype>(m * fragSize))
            std::abort();
    }
}

void realImage(Input& in)
{
    const std::uint32_t m = 1 + in.u8() % 120;
    const int fragSize = 1 + in.u8() % 24;
    const int padding = in.u8() % fragSize;
    const FecVersion v = in.u8() & 1 ? FecVersion::V1 : FecVersion::V2;
    QByteArray image(static_cast<qsizetype>(m) * fragSize - padding, '\0');
    for (qsizetype i = 0; i < image.size(); ++i)
        image[i] = static_cast<char>(in.u8() ^ (i * 131));
    const FragEncoder enc(image, fragSize, v);
    auto dec = FragDecoder::create({enc.fragmentCount(), static_cast<std::uint32_t>(fragSize),
                                    static_cast<std::uint32_t>(enc.padding()), v});
    if (!dec)
        std::abort();
    while (in.more() && !dec->isComplete()) {
        const std::uint32_t n = 1 + in.u16() % (enc.fragmentCount() + 60);
        if (dec->add(n, enc.frame(n)).state == FragDecoder::State::Rejected)
            std::abort(); // a well-formed frame of the session is never refused
    }
    for (std::uint32_t n = 1; n <= enc.fragmentCount() && !dec->isComplete(); ++n)
        dec->add(n, enc.frame(n)); // the uncoded fragments always complete it
    if (!dec->isComplete() || dec->data() != image)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Input in{data, size};
    if (in.u8() & 1)
        realImage(in);
    else
        arbitraryFrames(in);
    return 0;
}
