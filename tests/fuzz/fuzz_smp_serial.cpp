// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as a serial console stream into SerialFrameDecoder, fed
// whole and in pieces whose sizes come from the input; the events must not depend on the
// split. Every packet is decoded, run through every parser and re-framed.
#include "core/smp/serial_framing.h"
#include "core/smp/smp_error.h"
#include "core/smp/smp_messages.h"
#include "core/smp/smp_packet.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace otalab::core::smp;
using Decoder = SerialFrameDecoder;

void parseAll(const QCborMap& m)
{
    if (auto e = responseError(m)) {
        (void)errorName(*e);
        (void)describeError(*e);
    }
    (void)parseEchoResponse(m);
    (void)parseParamsResponse(m);
    (void)parseOsInfoResponse(m);
    (void)parseEchoRequest(m);
    (void)parseResetRequest(m);
    (void)parseOsInfoRequest(m);
    (void)parseImageStateWriteRequest(m);
    (void)parseImageEraseRequest(m);
    (void)parseUploadRequest(m);
    (void)parseUploadResponse(m);
    (void)parseSlotInfoResponse(m);
    if (auto state = parseImageStateResponse(m)) {
        auto again = parseImageStateResponse(imageStatePayload(*state));
        if (!again || again->images != state->images || again->splitStatus != state->splitStatus)
            std::abort();   // the device-side encoder must write what the parser reads
    }
}

bool sameEvents(const QList<Decoder::Event>& a, const QList<Decoder::Event>& b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].index() != b[i].index())
            return false;
        if (const auto* p = std::get_if<Decoder::PacketReceived>(&a[i])) {
            if (p->packet != std::get<Decoder::PacketReceived>(b[i]).packet)
                return false;
        } else if (const auto* l = std::get_if<Decoder::LogText>(&a[i])) {
            if (l->text != std::get<Decoder::LogText>(b[i]).text)
                return false;
        } else if (std::get<Decoder::FrameError>(a[i]).message != std::get<Decoder::FrameError>(b[i]).message) {
            return false;
        }
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char*>(data), qsizetype(size));

    Decoder whole;
    QList<Decoder::Event> expected;
    whole.feed(input, expected);

    // Piece sizes from an LCG seeded by the input, so each input has its own split.
    std::uint32_t state = 2166136261u;
    for (std::size_t i = 0; i < std::min<std::size_t>(size, 16); ++i)
        state = (state ^ data[i]) * 16777619u;
    Decoder pieces;
    QList<Decoder::Event> events;
    qsizetype pos = 0;
    while (pos < input.size()) {
        state = state * 1664525u + 1013904223u;
        const qsizetype n = std::min<qsizetype>(input.size() - pos, 1 + (state >> 24) % 97);
        pieces.feed(input.sliced(pos, n), events);
        pos += n;
    }
    if (!sameEvents(expected, events))
        std::abort();

    for (const auto& e : expected) {
        const auto* p = std::get_if<Decoder::PacketReceived>(&e);
        if (!p)
            continue;
        // A packet survives encode → decode unchanged.
        Decoder again;
        QList<Decoder::Event> back;
        for (const QByteArray& line : encodeSerialFrame(p->packet)) {
            if (line.size() > kSerialMaxLine)
                std::abort();
            again.feed(line, back);
        }
        if (back.size() != 1 || !std::holds_alternative<Decoder::PacketReceived>(back[0])
            || std::get<Decoder::PacketReceived>(back[0]).packet != p->packet)
            std::abort();
        if (auto packet = decodePacket(p->packet)) {
            (void)describePacket(*packet);
            parseAll(packet->payload);
        }
    }
    return 0;
}
