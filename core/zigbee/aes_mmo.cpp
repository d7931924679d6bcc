// SPDX-License-Identifier: Apache-2.0
// AES-MMO over OpenSSL EVP (AES-128-ECB, one block per call, re-keyed every block).
#include "core/zigbee/aes_mmo.h"

#include "core/crypto/pkey.h"

#include <openssl/evp.h>

#include <cstring>
#include <memory>

namespace otalab::core::zigbee {
namespace {

struct CtxFree { void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); } };

class MmoState {
public:
    bool init()
    {
        m_ctx.reset(EVP_CIPHER_CTX_new());
        return m_ctx && EVP_EncryptInit_ex(m_ctx.get(), EVP_aes_128_ecb(), nullptr, nullptr, nullptr) == 1
            && EVP_CIPHER_CTX_set_padding(m_ctx.get(), 0) == 1;
    }
    // hash = E(hash, block) XOR block
    bool absorb(const std::uint8_t* block)
    {
        std::uint8_t out[32];
        int len = 0;
        if (EVP_EncryptInit_ex(m_ctx.get(), nullptr, nullptr, m_hash.data(), nullptr) != 1
            || EVP_EncryptUpdate(m_ctx.get(), out, &len, block, 16) != 1 || len != 16)
            return false;
        for (int i = 0; i < 16; ++i)
            m_hash[i] = out[i] ^ block[i];
        return true;
    }
    const AesMmoDigest& hash() const { return m_hash; }

private:
    std::unique_ptr<EVP_CIPHER_CTX, CtxFree> m_ctx;
    AesMmoDigest m_hash{};
};

} // namespace

Result<AesMmoDigest> aesMmoHash(QByteArrayView message, AesMmoLengthField lengthField)
{
    const std::uint64_t length = std::uint64_t(message.size());
    if (length >= (std::uint64_t(1) << 29))
        return fail(QStringLiteral("AES-MMO is defined for messages shorter than 2^32 bits; this one is %1 bytes").arg(length));
    MmoState state;
    if (!state.init())
        return fail(QStringLiteral("AES-128 unavailable: %1").arg(crypto::opensslError()));
    const auto* data = reinterpret_cast<const std::uint8_t*>(message.data());
    const std::uint64_t full = length & ~std::uint64_t(15);
    for (std::uint64_t at = 0; at < full; at += 16)
        if (!state.absorb(data + at))
            return fail(QStringLiteral("AES-128 failed: %1").arg(crypto::opensslError()));

    // Final block(s): remaining bytes, 0x80, zeros, bit length.
    // 16-bit length (truncated to 16 bits for Truncated16), or 32-bit length + 16 zero bits.
    const bool shortForm = length < 8192 || lengthField == AesMmoLengthField::Truncated16;
    const int lengthBytes = shortForm ? 2 : 6;
    std::uint8_t tail[32] = {};
    const int rest = int(length - full);
    if (rest)
        std::memcpy(tail, data + full, size_t(rest));
    tail[rest] = 0x80;
    const int blocks = (rest + 1 + lengthBytes) <= 16 ? 1 : 2;
    std::uint8_t* end = tail + 16 * blocks;
    const std::uint64_t bits = length * 8;
    if (shortForm) {
        end[-2] = std::uint8_t(bits >> 8);
        end[-1] = std::uint8_t(bits);
    } else {
        end[-6] = std::uint8_t(bits >> 24);
        end[-5] = std::uint8_t(bits >> 16);
        end[-4] = std::uint8_t(bits >> 8);
        end[-3] = std::uint8_t(bits);
    }
    for (int b = 0; b < blocks; ++b)
        if (!state.absorb(tail + 16 * b))
            return fail(QStringLiteral("AES-128 failed: %1").arg(crypto::opensslError()));
    return state.hash();
}

QByteArray toByteArray(const AesMmoDigest& d) { return QByteArray(reinterpret_cast<const char*>(d.data()), 16); }

QString toHex(const AesMmoDigest& d) { return QString::fromLatin1(toByteArray(d).toHex()); }

} // namespace otalab::core::zigbee
