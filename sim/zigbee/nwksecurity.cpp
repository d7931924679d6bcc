// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/nwksecurity.h"

#include "sim/radio/macframe.h"
#include "sim/zigbee/apsheader.h"
#include "sim/zigbee/nwkcommand.h"
#include "sim/zigbee/nwkheader.h"
#include "sim/zigbee/nwksourceroute.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>

namespace otalab::sim {

namespace {

void put32(std::uint8_t* p, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

void put64(std::uint8_t* p, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint32_t get32(const std::uint8_t* p)
{
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = v << 8 | p[i];
    return v;
}

std::uint64_t get64(const std::uint8_t* p)
{
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = v << 8 | p[i];
    return v;
}

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

// One reusable context per thread: sealing runs on the simulation thread of each run.
EVP_CIPHER_CTX* threadCtx()
{
    thread_local CtxPtr ctx(EVP_CIPHER_CTX_new());
    return ctx.get();
}

bool ccm(bool encrypt, std::span<const std::uint8_t, 16> key, std::span<const std::uint8_t, zbsec::kNonceBytes> nonce,
         std::span<const std::uint8_t> aad, std::span<std::uint8_t> text, std::span<std::uint8_t> tag)
{
    EVP_CIPHER_CTX* ctx = threadCtx();
    if (!ctx || tag.size() < 4 || tag.size() > 16 || (tag.size() & 1))
        return false;
    const int tagLen = static_cast<int>(tag.size());
    int len = 0;
    bool ok = (encrypt ? EVP_EncryptInit_ex(ctx, EVP_aes_128_ccm(), nullptr, nullptr, nullptr)
                       : EVP_DecryptInit_ex(ctx, EVP_aes_128_ccm(), nullptr, nullptr, nullptr))
              == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, tagLen, encrypt ? nullptr : tag.data()) == 1;
    ok = ok && (encrypt ? EVP_EncryptInit_ex(ctx, nullptr, nullptr, key.data(), nonce.data())
                        : EVP_DecryptInit_ex(ctx, nullptr, nullptr, key.data(), nonce.data()))
                   == 1;
    // CCM needs the message length before the AAD.
    const int textLen = static_cast<int>(text.size());
    ok = ok && (encrypt ? EVP_EncryptUpdate(ctx, nullptr, &len, nullptr, textLen)
                        : EVP_DecryptUpdate(ctx, nullptr, &len, nullptr, textLen))
                   == 1;
    if (ok && !aad.empty())
        ok = (encrypt ? EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size()))
                      : EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())))
            == 1;
    if (!ok)
        return false;
    // In place: OpenSSL allows out == in for CCM.
    static constexpr std::uint8_t kEmpty = 0;
    std::uint8_t* data = text.empty() ? const_cast<std::uint8_t*>(&kEmpty) : text.data();
    if (encrypt) {
        if (EVP_EncryptUpdate(ctx, data, &len, data, textLen) != 1)
            return false;
        if (EVP_EncryptFinal_ex(ctx, data + len, &len) != 1)
            return false;
        return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, tagLen, tag.data()) == 1;
    }
    // CCM decryption verifies the tag in the (only) update call.
    return EVP_DecryptUpdate(ctx, data, &len, data, textLen) == 1;
}

// Seals `frame` (header | aux | text | MIC) in place: `headerBytes` + aux are the
// authentication data (with the real level in the aux control octet), text encrypted,
// MIC written. The aux control octet on the air keeps its carried level (0).
bool sealLayer(std::span<std::uint8_t> frame, std::size_t headerBytes, const ZigbeeAuxHeader& aux,
               std::span<const std::uint8_t, 16> key)
{
    const std::size_t auxBytes = aux.size();
    if (frame.size() < headerBytes + auxBytes + zbsec::kMicBytes)
        return false;
    const std::size_t aadBytes = headerBytes + auxBytes;
    std::array<std::uint8_t, 127> aad{};
    if (aadBytes > aad.size())
        return false;
    std::copy_n(frame.begin(), aadBytes, aad.begin());
    aad[headerBytes] = static_cast<std::uint8_t>((aad[headerBytes] & ~zbsec::kLevelMask) | zbsec::kLevelEncMic32);
    const auto nonce = zigbeeCcmNonce(aux.source, aux.frameCounter, aux.control(), zbsec::kLevelEncMic32);
    const std::span<std::uint8_t> text = frame.subspan(aadBytes, frame.size() - aadBytes - zbsec::kMicBytes);
    const std::span<std::uint8_t> mic = frame.last(zbsec::kMicBytes);
    return ccmStarSeal(key, nonce, {aad.data(), aadBytes}, text, mic);
}

} // namespace

std::uint8_t ZigbeeAuxHeader::control() const
{
    return static_cast<std::uint8_t>((level & zbsec::kLevelMask) | ((keyId << zbsec::kKeyIdShift) & zbsec::kKeyIdMask)
                                     | (extendedNonce ? zbsec::kExtendedNonce : 0));
}

std::size_t ZigbeeAuxHeader::encode(std::span<std::uint8_t> out) const
{
    const std::size_t n = size();
    if (out.size() < n)
        return 0;
    out[0] = control();
    put32(&out[1], frameCounter);
    std::size_t at = 5;
    if (extendedNonce) {
        put64(&out[at], source);
        at += 8;
    }
    if (keyId == zbsec::kKeyIdNetwork)
        out[at++] = keySequence;
    return at;
}

Result<ZigbeeAuxHeader> ZigbeeAuxHeader::decode(std::span<const std::uint8_t> bytes, const char* field)
{
    const QString where = QStringLiteral("%1.auxHeader").arg(QLatin1String(field));
    if (bytes.size() < 5)
        return fail(Error::at(static_cast<qint64>(bytes.size()), where,
                              QStringLiteral("truncated auxiliary security header: %1 octets").arg(bytes.size())));
    ZigbeeAuxHeader h;
    h.level = bytes[0] & zbsec::kLevelMask;
    h.keyId = static_cast<std::uint8_t>((bytes[0] & zbsec::kKeyIdMask) >> zbsec::kKeyIdShift);
    h.extendedNonce = (bytes[0] & zbsec::kExtendedNonce) != 0;
    if (!h.extendedNonce)
        return fail(Error::at(0, where,
                              QStringLiteral("auxiliary header without extended nonce (no source address): not "
                                             "modelled")));
    if (bytes.size() < h.size())
        return fail(Error::at(static_cast<qint64>(bytes.size()), where,
                              QStringLiteral("truncated auxiliary security header: %1 octets, needs %2")
                                  .arg(bytes.size())
                                  .arg(h.size())));
    h.frameCounter = get32(&bytes[1]);
    h.source = get64(&bytes[5]);
    if (h.keyId == zbsec::kKeyIdNetwork)
        h.keySequence = bytes[13];
    return h;
}

std::array<std::uint8_t, zbsec::kNonceBytes> zigbeeCcmNonce(std::uint64_t source, std::uint32_t frameCounter,
                                                            std::uint8_t control, std::uint8_t level)
{
    std::array<std::uint8_t, zbsec::kNonceBytes> n{};
    put64(&n[0], source);
    put32(&n[8], frameCounter);
    n[12] = static_cast<std::uint8_t>((control & ~zbsec::kLevelMask) | (level & zbsec::kLevelMask));
    return n;
}

bool ccmStarSeal(std::span<const std::uint8_t, 16> key, std::span<const std::uint8_t, zbsec::kNonceBytes> nonce,
                 std::span<const std::uint8_t> aad, std::span<std::uint8_t> text, std::span<std::uint8_t> tag)
{
    return ccm(true, key, nonce, aad, text, tag);
}

bool ccmStarOpen(std::span<const std::uint8_t, 16> key, std::span<const std::uint8_t, zbsec::kNonceBytes> nonce,
                 std::span<const std::uint8_t> aad, std::span<std::uint8_t> text, std::span<const std::uint8_t> tag)
{
    std::array<std::uint8_t, 16> t{};
    if (tag.size() > t.size())
        return false;
    std::copy(tag.begin(), tag.end(), t.begin());
    return ccm(false, key, nonce, aad, text, {t.data(), tag.size()});
}

std::size_t nwkAuxOffset(std::span<const std::uint8_t> nwkFrame)
{
    if (nwkFrame.size() < NwkHeader::kBytes)
        return 0;
    if (!NwkSourceRoute::present(nwkFrame))
        return NwkHeader::kBytes;
    if (nwkFrame.size() < NwkHeader::kBytes + 1)
        return 0;
    const std::size_t at = NwkHeader::kBytes + 2 + 2 * std::size_t{nwkFrame[NwkHeader::kBytes]};
    return at <= nwkFrame.size() ? at : 0;
}

bool nwkCommandSecured(std::uint8_t commandId, bool haveNetworkKey)
{
    const auto id = static_cast<NwkCommandId>(commandId);
    if (id == NwkCommandId::RejoinRequest || id == NwkCommandId::RejoinResponse)
        return haveNetworkKey;
    return true;
}

namespace {
bool isCommand(std::span<const std::uint8_t> nwkFrame)
{
    return nwkFrame.size() > NwkHeader::kBytes
        && (nwkFrame[0] & 0x03) == static_cast<std::uint8_t>(NwkFrameType::Command);
}
} // namespace

bool secureNwkCommand(NwkFrameBuffer& frame, std::uint64_t source, std::uint32_t frameCounter,
                      std::uint8_t keySequence)
{
    const std::span<const std::uint8_t> in = frame.view();
    if (!isCommand(in) || (in[1] & (zbsec::kNwkFcfSecurity >> 8)))
        return false;
    const std::size_t auxAt = nwkAuxOffset(in);
    const std::size_t length = std::size_t{frame.length} + ZigbeeAuxHeader::kNwkBytes + zbsec::kMicBytes;
    if (auxAt == 0 || auxAt >= in.size() || length > frame.bytes.size())
        return false;
    std::uint8_t* base = frame.bytes.data();
    std::copy_backward(base + auxAt, base + frame.length, base + frame.length + ZigbeeAuxHeader::kNwkBytes);
    ZigbeeAuxHeader aux;
    aux.keyId = zbsec::kKeyIdNetwork;
    aux.frameCounter = frameCounter;
    aux.source = source;
    aux.keySequence = keySequence;
    aux.encode({base + auxAt, ZigbeeAuxHeader::kNwkBytes});
    std::fill_n(base + length - zbsec::kMicBytes, zbsec::kMicBytes, std::uint8_t{0});
    base[1] = static_cast<std::uint8_t>(base[1] | (zbsec::kNwkFcfSecurity >> 8));
    frame.length = static_cast<std::uint8_t>(length);
    return true;
}

std::optional<ZigbeeAuxHeader> openNwkCommand(std::span<const std::uint8_t> carried, NwkFrameBuffer& plain)
{
    if (!isCommand(carried) || !(carried[1] & (zbsec::kNwkFcfSecurity >> 8)))
        return std::nullopt;
    const std::size_t auxAt = nwkAuxOffset(carried);
    if (auxAt == 0)
        return std::nullopt;
    Result<ZigbeeAuxHeader> aux = ZigbeeAuxHeader::decode(carried.subspan(auxAt), "nwk");
    if (!aux || aux->keyId != zbsec::kKeyIdNetwork)
        return std::nullopt;
    const std::size_t textAt = auxAt + aux->size();
    if (carried.size() < textAt + 1 + zbsec::kMicBytes)
        return std::nullopt;
    const std::size_t textBytes = carried.size() - textAt - zbsec::kMicBytes;
    std::copy_n(carried.begin(), auxAt, plain.bytes.begin());
    std::copy_n(carried.begin() + static_cast<std::ptrdiff_t>(textAt), textBytes, plain.bytes.begin() + auxAt);
    plain.bytes[1] = static_cast<std::uint8_t>(plain.bytes[1] & ~(zbsec::kNwkFcfSecurity >> 8));
    plain.length = static_cast<std::uint8_t>(auxAt + textBytes);
    return *aux;
}

bool sealZigbeeMpdu(std::span<const std::uint8_t> carried, std::span<std::uint8_t> out,
                    std::span<const std::uint8_t, 16> networkKey, std::span<const std::uint8_t, 16> linkKey)
{
    if (out.size() != carried.size())
        return false;
    std::span<const std::uint8_t> macPayload;
    const std::optional<MacHeader> mac = MacFrame::parse(carried, &macPayload, MacFrame::FcsCheck::Skip);
    if (!mac || mac->type != MacFrameType::Data || macPayload.size() < NwkHeader::kBytes)
        return false;
    const auto nwkFcf = static_cast<std::uint16_t>(macPayload[0] | macPayload[1] << 8);
    if (!(nwkFcf & zbsec::kNwkFcfSecurity))
        return false;
    // The NWK header ends after the source route subframe, when there is one.
    const std::size_t nwkHeaderBytes = nwkAuxOffset(macPayload);
    if (nwkHeaderBytes == 0)
        return false;
    Result<ZigbeeAuxHeader> nwkAux = ZigbeeAuxHeader::decode(macPayload.subspan(nwkHeaderBytes), "nwk");
    if (!nwkAux || nwkAux->keyId != zbsec::kKeyIdNetwork)
        return false;
    const std::size_t nwkAt = MacFrame::kHeaderBytes;
    const std::size_t apsAt = nwkAt + nwkHeaderBytes + nwkAux->size();
    if (macPayload.size() < nwkHeaderBytes + nwkAux->size() + zbsec::kMicBytes)
        return false;
    const bool dataFrame = (nwkFcf & 0x03) == static_cast<std::uint16_t>(NwkFrameType::Data);
    std::array<std::uint8_t, 127> work{};
    std::copy(carried.begin(), carried.end(), work.begin());
    const std::size_t body = carried.size() - MacFrame::kFcsBytes;
    const std::size_t nwkEnd = body; // the NWK MIC ends where the FCS starts
    const std::size_t apsEnd = nwkEnd - zbsec::kMicBytes;
    // APS layer first (inner): APS header | APS aux | payload | APS MIC. (A NWK command
    // frame has no APS layer: its first octet is the command identifier.)
    if (dataFrame && apsEnd > apsAt && (work[apsAt] & zbsec::kApsFcfSecurity)) {
        const std::span<std::uint8_t> aps(work.data() + apsAt, apsEnd - apsAt);
        if (aps.size() < ApsHeader::kBytes)
            return false;
        Result<ZigbeeAuxHeader> apsAux = ZigbeeAuxHeader::decode(aps.subspan(ApsHeader::kBytes), "aps");
        if (!apsAux || !sealLayer(aps, ApsHeader::kBytes, *apsAux, linkKey))
            return false;
    }
    const std::span<std::uint8_t> nwk(work.data() + nwkAt, nwkEnd - nwkAt);
    if (!sealLayer(nwk, nwkHeaderBytes, *nwkAux, networkKey))
        return false;
    const std::uint16_t fcs = MacFrame::fcs({work.data(), body});
    work[body] = static_cast<std::uint8_t>(fcs & 0xFF);
    work[body + 1] = static_cast<std::uint8_t>(fcs >> 8);
    std::copy_n(work.begin(), carried.size(), out.begin());
    return true;
}

ZigbeeFrameSealer::ZigbeeFrameSealer(const NwkSecuritySettings& settings)
    : m_networkKey(settings.networkKey)
    , m_linkKey(settings.linkKey)
{
}

bool ZigbeeFrameSealer::seal(std::span<const std::uint8_t> carried, std::span<std::uint8_t> out) const
{
    return sealZigbeeMpdu(carried, out, m_networkKey, m_linkKey);
}

} // namespace otalab::sim
