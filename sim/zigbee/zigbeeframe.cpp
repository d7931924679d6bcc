// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/zigbeeframe.h"

#include <algorithm>
#include <array>

namespace otalab::sim {

namespace {

Error shifted(Error e, std::size_t by)
{
    if (e.offset >= 0)
        e.offset += static_cast<qint64>(by);
    return e;
}

} // namespace

Result<void> ZigbeeFrame::encode(const NwkHeader& nwk, const ApsHeader& aps, std::span<const std::uint8_t> payload,
                                 const FrameBudget& budget, NwkFrameBuffer& out, const ZigbeeFrameSecurity* security)
{
    if (!security) {
        if (Result<void> fits = budget.check(payload.size()); !fits)
            return fits;
        std::span<std::uint8_t> buffer(out.bytes);
        std::size_t n = nwk.encode(buffer);
        n += aps.encode(buffer.subspan(n));
        std::copy(payload.begin(), payload.end(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
        n += payload.size();
        out.length = static_cast<std::uint8_t>(n);
        return {};
    }
    FrameBudget b = budget;
    b.nwkSecurityOverheadBytes = FrameBudget::kRealisticNwkSecurityBytes;
    b.apsSecurityOverheadBytes = security->apsSecured ? FrameBudget::kRealisticApsSecurityBytes : 0;
    if (Result<void> fits = b.check(payload.size()); !fits)
        return fits;
    std::span<std::uint8_t> buffer(out.bytes);
    NwkHeader secured = nwk;
    secured.security = true;
    std::size_t n = secured.encode(buffer);
    ZigbeeAuxHeader nwkAux;
    nwkAux.keyId = zbsec::kKeyIdNetwork;
    nwkAux.frameCounter = security->nwkFrameCounter;
    nwkAux.source = security->source;
    nwkAux.keySequence = security->keySequence;
    n += nwkAux.encode(buffer.subspan(n));
    const std::size_t apsAt = n;
    n += aps.encode(buffer.subspan(n));
    if (security->apsSecured) {
        buffer[apsAt] |= zbsec::kApsFcfSecurity;
        ZigbeeAuxHeader apsAux;
        apsAux.keyId = zbsec::kKeyIdData;
        apsAux.frameCounter = security->apsFrameCounter;
        apsAux.source = security->source;
        n += apsAux.encode(buffer.subspan(n));
    }
    std::copy(payload.begin(), payload.end(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    n += payload.size();
    const std::size_t mics = (security->apsSecured ? 2 : 1) * zbsec::kMicBytes;
    std::fill_n(buffer.begin() + static_cast<std::ptrdiff_t>(n), mics, std::uint8_t{0});
    n += mics;
    out.length = static_cast<std::uint8_t>(n);
    return {};
}

Result<ZigbeeDataFrame> ZigbeeFrame::decode(std::span<const std::uint8_t> frame)
{
    Result<NwkHeader> nwk = NwkHeader::decode(frame);
    if (!nwk)
        return fail(nwk.error());
    if (nwk->frameType != NwkFrameType::Data)
        return fail(Error::at(0, QStringLiteral("nwk.frameControl.frameType"),
                              QStringLiteral("NWK command frames are not carried by this model")));
    std::size_t apsAt = NwkHeader::kBytes;
    std::size_t end = frame.size();
    std::optional<ZigbeeAuxHeader> nwkSecurity;
    if (nwk->security) {
        Result<ZigbeeAuxHeader> aux = ZigbeeAuxHeader::decode(frame.subspan(apsAt), "nwk");
        if (!aux)
            return fail(shifted(aux.error(), apsAt));
        apsAt += aux->size();
        if (end < apsAt + zbsec::kMicBytes)
            return fail(Error::at(static_cast<qint64>(end), QStringLiteral("nwk.mic"),
                                  QStringLiteral("secured NWK frame too short for its 4-octet MIC")));
        end -= zbsec::kMicBytes;
        nwkSecurity = *aux;
    }
    const std::span<const std::uint8_t> nwkPayload = frame.subspan(apsAt, end - apsAt);
    std::optional<ZigbeeAuxHeader> apsSecurity;
    Result<ApsHeader> aps = [&]() -> Result<ApsHeader> {
        if (nwkPayload.empty() || !(nwkPayload[0] & zbsec::kApsFcfSecurity) || !nwk->security)
            return ApsHeader::decode(nwkPayload);
        // APS-secured (only inside a NWK-secured frame): the header without its security bit.
        std::array<std::uint8_t, ApsHeader::kBytes> header{};
        const std::size_t have = std::min(nwkPayload.size(), header.size());
        std::copy_n(nwkPayload.begin(), have, header.begin());
        header[0] &= static_cast<std::uint8_t>(~zbsec::kApsFcfSecurity);
        return ApsHeader::decode(std::span<const std::uint8_t>(header.data(), have));
    }();
    if (!aps)
        return fail(shifted(aps.error(), apsAt));
    std::size_t payloadAt = ApsHeader::kBytes;
    std::size_t payloadEnd = nwkPayload.size();
    if (nwk->security && (nwkPayload[0] & zbsec::kApsFcfSecurity)) {
        Result<ZigbeeAuxHeader> aux = ZigbeeAuxHeader::decode(nwkPayload.subspan(payloadAt), "aps");
        if (!aux)
            return fail(shifted(aux.error(), apsAt + payloadAt));
        payloadAt += aux->size();
        if (payloadEnd < payloadAt + zbsec::kMicBytes)
            return fail(Error::at(static_cast<qint64>(apsAt + payloadEnd), QStringLiteral("aps.mic"),
                                  QStringLiteral("secured APS frame too short for its 4-octet MIC")));
        payloadEnd -= zbsec::kMicBytes;
        apsSecurity = *aux;
    }
    return ZigbeeDataFrame{*nwk, *aps, nwkPayload.subspan(payloadAt, payloadEnd - payloadAt), nwkSecurity, apsSecurity};
}

bool ZigbeeFrame::restamp(NwkFrameBuffer& frame, std::uint64_t source, std::uint32_t nwkFrameCounter)
{
    // The aux header follows the source route subframe of a source-routed frame.
    const std::size_t auxAt = nwkAuxOffset(frame.view());
    if (auxAt == 0 || frame.length < auxAt + ZigbeeAuxHeader::kNwkBytes || !(frame.bytes[1] & (zbsec::kNwkFcfSecurity >> 8)))
        return false;
    std::uint8_t* aux = frame.bytes.data() + auxAt;
    for (int i = 0; i < 4; ++i)
        aux[1 + i] = static_cast<std::uint8_t>(nwkFrameCounter >> (8 * i));
    for (int i = 0; i < 8; ++i)
        aux[5 + i] = static_cast<std::uint8_t>(source >> (8 * i));
    return true;
}

} // namespace otalab::sim
