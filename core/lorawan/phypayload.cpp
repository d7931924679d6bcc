// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/phypayload.h"

#include "core/common/bytes.h"

namespace otalab::core::lorawan {
namespace {

// A_i (i ≥ 1) and B0 share one layout: tag | 00×4 | Dir | DevAddr | FCnt | 00 | last.
AesBlock cryptoBlock(std::uint8_t tag, Direction dir, std::uint32_t devAddr, std::uint32_t fCnt32, std::uint8_t last)
{
    AesBlock b{};
    b[0] = tag;
    b[5] = std::uint8_t(dir);
    for (int i = 0; i < 4; ++i) {
        b[size_t(6 + i)] = std::uint8_t(devAddr >> (8 * i));
        b[size_t(10 + i)] = std::uint8_t(fCnt32 >> (8 * i));
    }
    b[15] = last;
    return b;
}

QString micHex(const std::array<std::uint8_t, 4>& mic)
{
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(mic.data()), 4).toHex());
}

} // namespace

QString mtypeName(MType type)
{
    switch (type) {
    case MType::JoinRequest: return QStringLiteral("JoinRequest");
    case MType::JoinAccept: return QStringLiteral("JoinAccept");
    case MType::UnconfirmedDataUp: return QStringLiteral("UnconfirmedDataUp");
    case MType::UnconfirmedDataDown: return QStringLiteral("UnconfirmedDataDown");
    case MType::ConfirmedDataUp: return QStringLiteral("ConfirmedDataUp");
    case MType::ConfirmedDataDown: return QStringLiteral("ConfirmedDataDown");
    case MType::Rfu: return QStringLiteral("RFU (6)");
    case MType::Proprietary: return QStringLiteral("Proprietary");
    }
    return QStringLiteral("MType %1").arg(int(type));
}

QString directionName(Direction d) { return d == Direction::Uplink ? QStringLiteral("uplink") : QStringLiteral("downlink"); }

bool isDataFrame(MType type)
{
    return type == MType::UnconfirmedDataUp || type == MType::UnconfirmedDataDown || type == MType::ConfirmedDataUp
           || type == MType::ConfirmedDataDown;
}

Direction directionOf(MType type)
{
    switch (type) {
    case MType::JoinAccept:
    case MType::UnconfirmedDataDown:
    case MType::ConfirmedDataDown: return Direction::Downlink;
    default: return Direction::Uplink;
    }
}

QByteArray cryptFrmPayload(const AesKey& key, Direction dir, std::uint32_t devAddr, std::uint32_t fCnt32, QByteArrayView payload)
{
    // S = AES(K, A_1) | AES(K, A_2) | ..., one ECB pass over all A_i.
    const qsizetype blocks = (payload.size() + 15) / 16;
    QByteArray a;
    a.reserve(blocks * 16);
    for (qsizetype i = 1; i <= blocks; ++i) {
        const AesBlock ai = cryptoBlock(0x01, dir, devAddr, fCnt32, std::uint8_t(i));
        a.append(reinterpret_cast<const char*>(ai.data()), 16);
    }
    const QByteArray s = aes128EncryptBlocks(key, a);
    QByteArray out(payload.data(), payload.size());
    for (qsizetype j = 0; j < out.size(); ++j)
        out[j] = char(out[j] ^ s[j]);
    return out;
}

std::array<std::uint8_t, 4> computeMic(const AesKey& nwkSKey, Direction dir, std::uint32_t devAddr, std::uint32_t fCnt32,
                                       QByteArrayView msg)
{
    const AesBlock b0 = cryptoBlock(0x49, dir, devAddr, fCnt32, std::uint8_t(msg.size()));
    QByteArray input(reinterpret_cast<const char*>(b0.data()), 16);
    input.append(msg.data(), msg.size());
    const AesBlock cmac = aesCmac(nwkSKey, input);
    return {cmac[0], cmac[1], cmac[2], cmac[3]};
}

Result<QByteArray> encodeDataFrame(const DataFrame& f, const SessionKeys& keys)
{
    if (!isDataFrame(f.mtype))
        return fail(Error::at(-1, QStringLiteral("MHDR.MType"), QStringLiteral("%1 is not a data frame").arg(mtypeName(f.mtype))));
    if (f.major != 0)
        return fail(Error::at(-1, QStringLiteral("MHDR.Major"), QStringLiteral("major version %1 does not exist (only 0, LoRaWAN R1)").arg(f.major)));
    if (f.fOpts.size() > kMaxFOptsSize)
        return fail(Error::at(-1, QStringLiteral("FHDR.FOpts"), QStringLiteral("FOpts holds at most 15 bytes, got %1").arg(f.fOpts.size())));
    if (f.fPort == 0 && !f.fOpts.isEmpty())
        return fail(Error::at(-1, QStringLiteral("FPort"), QStringLiteral("FPort 0 (MAC commands in FRMPayload) cannot go with FOpts")));
    if (!f.fPort && !f.frmPayload.isEmpty())
        return fail(Error::at(-1, QStringLiteral("FPort"), QStringLiteral("a %1-byte FRMPayload needs an FPort").arg(f.frmPayload.size())));
    const Direction dir = f.direction();
    if (dir == Direction::Downlink && (f.fctrl.adrAckReq || f.fctrl.classB))
        return fail(Error::at(-1, QStringLiteral("FHDR.FCtrl"), QStringLiteral("ADRACKReq and ClassB are uplink bits, this is a downlink")));
    if (dir == Direction::Uplink && f.fctrl.fPending)
        return fail(Error::at(-1, QStringLiteral("FHDR.FCtrl"), QStringLiteral("FPending is a downlink bit, this is an uplink")));

    ByteWriter w(Endian::Little);
    w.u8(std::uint8_t(std::uint8_t(f.mtype) << 5 | f.major));
    w.u32(f.devAddr);
    std::uint8_t fctrl = std::uint8_t(f.fOpts.size());
    if (f.fctrl.adr)
        fctrl |= 0x80;
    if (f.fctrl.adrAckReq)
        fctrl |= 0x40;
    if (f.fctrl.ack)
        fctrl |= 0x20;
    if (f.fctrl.fPending || f.fctrl.classB)
        fctrl |= 0x10;
    w.u8(fctrl);
    w.u16(std::uint16_t(f.fCnt));
    w.bytes(f.fOpts);
    if (f.fPort) {
        w.u8(*f.fPort);
        const AesKey& key = *f.fPort == 0 ? keys.nwkSKey : keys.appSKey;
        w.bytes(cryptFrmPayload(key, dir, f.devAddr, f.fCnt, f.frmPayload));
    }
    QByteArray out = w.take();
    const auto mic = computeMic(keys.nwkSKey, dir, f.devAddr, f.fCnt, out);
    out.append(reinterpret_cast<const char*>(mic.data()), 4);
    return out;
}

Result<DataFrame> parseDataFrame(QByteArrayView p)
{
    if (p.size() < kMinDataFrameSize)
        return fail(Error::at(p.size(), QStringLiteral("PHYPayload"),
                              QStringLiteral("too short: a data frame needs at least %1 bytes (MHDR 1, FHDR 7, MIC 4), got %2")
                                  .arg(kMinDataFrameSize).arg(p.size())));
    DataFrame f;
    const std::uint8_t mhdr = std::uint8_t(p[0]);
    f.mtype = MType(mhdr >> 5);
    f.major = mhdr & 0x03;
    if (f.major != 0)
        return fail(Error::at(0, QStringLiteral("MHDR.Major"),
                              QStringLiteral("major version %1 is not LoRaWAN R1 (0)").arg(f.major)));
    if (mhdr & 0x1c)
        return fail(Error::at(0, QStringLiteral("MHDR.RFU"), QStringLiteral("bits 4..2 are RFU and must be 0, MHDR is 0x%1")
                                                                .arg(mhdr, 2, 16, QLatin1Char('0'))));
    if (!isDataFrame(f.mtype))
        return fail(Error::at(0, QStringLiteral("MHDR.MType"), QStringLiteral("%1 is not a data frame").arg(mtypeName(f.mtype))));

    f.devAddr = std::uint32_t(std::uint8_t(p[1])) | std::uint32_t(std::uint8_t(p[2])) << 8
                | std::uint32_t(std::uint8_t(p[3])) << 16 | std::uint32_t(std::uint8_t(p[4])) << 24;
    const std::uint8_t fctrl = std::uint8_t(p[5]);
    const Direction dir = f.direction();
    f.fctrl.adr = fctrl & 0x80;
    f.fctrl.ack = fctrl & 0x20;
    if (dir == Direction::Uplink) {
        f.fctrl.adrAckReq = fctrl & 0x40;
        f.fctrl.classB = fctrl & 0x10;
    } else {
        if (fctrl & 0x40)
            return fail(Error::at(5, QStringLiteral("FHDR.FCtrl"), QStringLiteral("bit 6 is RFU on downlinks and must be 0")));
        f.fctrl.fPending = fctrl & 0x10;
    }
    f.fCnt = std::uint32_t(std::uint8_t(p[6])) | std::uint32_t(std::uint8_t(p[7])) << 8;
    const int fOptsLen = fctrl & 0x0f;
    const qsizetype macEnd = p.size() - 4;  // MIC starts here
    if (8 + fOptsLen > macEnd)
        return fail(Error::at(5, QStringLiteral("FHDR.FCtrl.FOptsLen"),
                              QStringLiteral("FOptsLen %1 runs past the MIC: only %2 bytes between FCnt and MIC")
                                  .arg(fOptsLen).arg(macEnd - 8)));
    f.fOpts = p.sliced(8, fOptsLen).toByteArray();
    qsizetype pos = 8 + fOptsLen;
    if (pos < macEnd) {
        f.fPort = std::uint8_t(p[pos]);
        if (*f.fPort == 0 && fOptsLen > 0)
            return fail(Error::at(pos, QStringLiteral("FPort"),
                                  QStringLiteral("FPort 0 (MAC commands in FRMPayload) with %1 bytes of FOpts").arg(fOptsLen)));
        ++pos;
        f.frmPayload = p.sliced(pos, macEnd - pos).toByteArray();
    }
    for (int i = 0; i < 4; ++i)
        f.mic[size_t(i)] = std::uint8_t(p[macEnd + i]);
    return f;
}

Result<std::uint32_t> reconstructFCnt(std::uint16_t wire, std::optional<std::uint32_t> last, std::uint32_t maxGap)
{
    if (!last)
        return std::uint32_t(wire);
    const std::uint32_t ahead = std::uint16_t(wire - std::uint16_t(*last));  // 0..65535, modulo 2^16
    if (ahead == 0)
        return fail(Error::at(6, QStringLiteral("FHDR.FCnt"), QStringLiteral("counter replay: got %1, last %1").arg(*last)));
    if (ahead >= maxGap) {
        // Read as an older frame seen again when the session is old enough for that;
        // otherwise it is a jump further ahead than the gap allows.
        const std::uint32_t behind = 0x10000 - ahead;
        if (*last >= behind)
            return fail(Error::at(6, QStringLiteral("FHDR.FCnt"),
                                  QStringLiteral("counter replay: got %1, last %2").arg(*last - behind).arg(*last)));
        return fail(Error::at(6, QStringLiteral("FHDR.FCnt"),
                              QStringLiteral("counter gap too large: got %1, last %2 (at most %3 ahead)")
                                  .arg(std::uint64_t(*last) + ahead).arg(*last).arg(maxGap - 1)));
    }
    const std::uint64_t full = std::uint64_t(*last) + ahead;
    if (full > 0xffffffffull)
        return fail(Error::at(6, QStringLiteral("FHDR.FCnt"),
                              QStringLiteral("frame counter exhausted after %1: the session must be renewed").arg(*last)));
    return std::uint32_t(full);
}

Result<void> verifyMic(QByteArrayView phyPayload, const DataFrame& frame, const AesKey& nwkSKey, std::uint32_t fCnt32)
{
    if (phyPayload.size() < kMinDataFrameSize)
        return fail(Error::at(phyPayload.size(), QStringLiteral("PHYPayload"), QStringLiteral("too short to carry a MIC")));
    const auto expected = computeMic(nwkSKey, frame.direction(), frame.devAddr, fCnt32, phyPayload.first(phyPayload.size() - 4));
    std::array<std::uint8_t, 4> got{};
    for (int i = 0; i < 4; ++i)
        got[size_t(i)] = std::uint8_t(phyPayload[phyPayload.size() - 4 + i]);
    if (got != expected)
        return fail(Error::at(phyPayload.size() - 4, QStringLiteral("MIC"),
                              QStringLiteral("MIC mismatch: frame has %1, expected %2 (FCnt %3)")
                                  .arg(micHex(got), micHex(expected)).arg(fCnt32)));
    return {};
}

QByteArray decryptPayload(const DataFrame& frame, const SessionKeys& keys, std::uint32_t fCnt32)
{
    if (!frame.fPort)
        return {};
    const AesKey& key = *frame.fPort == 0 ? keys.nwkSKey : keys.appSKey;
    return cryptFrmPayload(key, frame.direction(), frame.devAddr, fCnt32, frame.frmPayload);
}

Result<DataFrame> openDataFrame(QByteArrayView phyPayload, const SessionKeys& keys, std::optional<std::uint32_t> lastFCnt,
                                std::optional<std::uint32_t> expectedDevAddr)
{
    auto frame = parseDataFrame(phyPayload);
    if (!frame)
        return fail(frame.error());
    if (expectedDevAddr && frame->devAddr != *expectedDevAddr)
        return fail(Error::at(1, QStringLiteral("FHDR.DevAddr"), QStringLiteral("frame is for DevAddr %1, this session is %2")
                                                                     .arg(formatDevAddr(frame->devAddr), formatDevAddr(*expectedDevAddr))));
    auto fCnt = reconstructFCnt(std::uint16_t(frame->fCnt), lastFCnt);
    if (!fCnt)
        return fail(fCnt.error());
    if (auto ok = verifyMic(phyPayload, *frame, keys.nwkSKey, *fCnt); !ok)
        return fail(ok.error());
    frame->frmPayload = decryptPayload(*frame, keys, *fCnt);
    frame->fCnt = *fCnt;
    return frame;
}

} // namespace otalab::core::lorawan
