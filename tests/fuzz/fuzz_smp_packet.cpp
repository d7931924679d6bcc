// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as one SMP packet (decodePacket + every parser), as a
// bare CBOR payload, and as BLE notifications for PacketReassembler; checks that decoded
// packets re-encode, that parser/encoder pairs agree and that uploadChunkCapacity is exact.
#include "core/smp/ble_fragmentation.h"
#include "core/smp/smp_error.h"
#include "core/smp/smp_messages.h"
#include "core/smp/smp_packet.h"

#include <QCborValue>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace otalab::core::smp;

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
    (void)parseUploadResponse(m);
    if (auto state = parseImageStateResponse(m)) {
        auto again = parseImageStateResponse(imageStatePayload(*state));
        if (!again || again->images != state->images || again->splitStatus != state->splitStatus)
            std::abort();
    }
    if (auto slots = parseSlotInfoResponse(m)) {
        auto again = parseSlotInfoResponse(slotInfoPayload(*slots));
        if (!again || again->size() != slots->size())
            std::abort();
    }
    if (auto chunk = parseUploadRequest(m)) {
        auto again = parseUploadRequest(uploadRequest(*chunk).payload);
        if (!again || again->offset != chunk->offset || again->data != chunk->data
            || again->totalLength != chunk->totalLength || again->sha != chunk->sha
            || again->upgrade != chunk->upgrade || again->image.value_or(0) != chunk->image.value_or(0))
            std::abort();
        // Capacity of this chunk's template for a packet limit taken from the input.
        UploadChunk empty = *chunk;
        empty.data.clear();
        const int limit = 16 + int(chunk->offset % 4096);
        const int cap = uploadChunkCapacity(limit, empty);
        Header h;
        h.op = Op::Write;
        h.group = 1;
        h.command = 1;
        empty.data = QByteArray(cap, 'x');
        if (cap > 0 && encodePacket(h, uploadRequest(empty).payload).size() > limit)
            std::abort();
        empty.data = QByteArray(cap + 1, 'x');
        if (encodePacket(h, uploadRequest(empty).payload).size() <= limit)
            std::abort();
    }
}

void checkPacket(QByteArrayView bytes)
{
    auto packet = decodePacket(bytes);
    if (!packet)
        return;
    (void)describePacket(*packet);
    parseAll(packet->payload);
    // A decoded payload re-encodes (definite lengths) into a packet that decodes again.
    const QByteArray cbor = QCborValue(packet->payload).toCbor();
    if (cbor.size() <= 0xffff && !decodePacket(encodePacket(packet->header, packet->payload)))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char*>(data), qsizetype(size));
    checkPacket(input);
    if (size > 8) {   // the payload part alone, whatever the header says
        // Qt 6.4 can return a map with a dangling key after a parse error: use only clean parses.
        QCborParserError error;
        const QCborValue value = QCborValue::fromCbor(input.sliced(8).toByteArray(), &error);
        if (error.error == QCborError::NoError)
            parseAll(value.toMap());
    }

    // As notifications: fragment sizes from the first byte (1..64), reassembled packets
    // are decoded; whole-input and fragment-wise feeding agree when nothing was dropped.
    PacketReassembler whole;
    QList<QByteArray> expected;
    QList<QString> expectedErrors;
    whole.feed(input, expected, expectedErrors);
    const qsizetype step = size > 0 ? 1 + data[0] % 64 : 1;
    PacketReassembler pieces;
    QList<QByteArray> packets;
    QList<QString> errors;
    for (qsizetype pos = 0; pos < input.size(); pos += step)
        pieces.feed(input.sliced(pos, std::min(step, input.size() - pos)), packets, errors);
    if (expectedErrors.isEmpty() && errors.isEmpty() && packets != expected)
        std::abort();
    for (const QByteArray& p : packets) {
        if (announcedPacketSize(p) != p.size())
            std::abort();
        checkPacket(p);
    }
    return 0;
}
