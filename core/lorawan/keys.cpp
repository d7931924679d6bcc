// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/keys.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>
#include <memory>

namespace otalab::core::lorawan {
namespace {

struct CipherCtxFree { void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); } };
struct MacCtxFree { void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); } };

// Fetched once: EVP_CIPHER_fetch / EVP_MAC_fetch are slow compared with one block.
const EVP_CIPHER* aes128Ecb()
{
    static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
    return cipher;
}

EVP_MAC* cmacAlgorithm()
{
    static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
    return mac;
}

AesBlock aesBlock(const AesKey& key, const AesBlock& in, bool encrypt)
{
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
    AesBlock out{};
    int len = 0;
    // With a 16-byte key and one block these calls only fail when memory is exhausted;
    // an all-zero block is never returned silently: abort like an allocation failure.
    if (!ctx || !aes128Ecb() || EVP_CipherInit_ex2(ctx.get(), aes128Ecb(), key.data(), nullptr, encrypt ? 1 : 0, nullptr) != 1
        || EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1
        || EVP_CipherUpdate(ctx.get(), out.data(), &len, in.data(), int(in.size())) != 1 || len != 16)
        std::abort();
    return out;
}

int hexDigit(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

} // namespace

AesBlock aes128Encrypt(const AesKey& key, const AesBlock& block) { return aesBlock(key, block, true); }

QByteArray aes128EncryptBlocks(const AesKey& key, QByteArrayView blocks)
{
    const qsizetype n = blocks.size() / 16 * 16;
    QByteArray out(n, Qt::Uninitialized);
    if (n == 0)
        return out;
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx || !aes128Ecb() || EVP_EncryptInit_ex2(ctx.get(), aes128Ecb(), key.data(), nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1
        || EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                             reinterpret_cast<const unsigned char*>(blocks.data()), int(n)) != 1
        || len != int(n))
        std::abort();  // only on memory exhaustion, see aesBlock
    return out;
}
AesBlock aes128Decrypt(const AesKey& key, const AesBlock& block) { return aesBlock(key, block, false); }

AesBlock aesCmac(const AesKey& key, QByteArrayView data)
{
    std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(cmacAlgorithm() ? EVP_MAC_CTX_new(cmacAlgorithm()) : nullptr);
    char cipherName[] = "AES-128-CBC";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipherName, 0),
        OSSL_PARAM_construct_end(),
    };
    AesBlock tag{};
    size_t len = 0;
    if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1
        || EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), size_t(data.size())) != 1
        || EVP_MAC_final(ctx.get(), tag.data(), &len, tag.size()) != 1 || len != 16)
        std::abort();  // only on memory exhaustion, see aesBlock
    return tag;
}

Result<AesKey> parseKey(QStringView hex, const QString& field)
{
    if (hex.size() != 32)
        return fail(Error::at(-1, field, QStringLiteral("an AES-128 key is 32 hex digits, got %1 characters").arg(hex.size())));
    AesKey key{};
    for (int i = 0; i < 16; ++i) {
        const int hi = hexDigit(hex[2 * i]);
        const int lo = hexDigit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return fail(Error::at(-1, field, QStringLiteral("'%1' at character %2 is not a hex digit")
                                                 .arg(hi < 0 ? hex[2 * i] : hex[2 * i + 1])
                                                 .arg(hi < 0 ? 2 * i : 2 * i + 1)));
        key[size_t(i)] = std::uint8_t(hi << 4 | lo);
    }
    return key;
}

QString formatKey(const AesKey& key) { return QString::fromLatin1(keyBytes(key).toHex()); }

Result<std::uint32_t> parseDevAddr(QStringView hex, const QString& field)
{
    if (hex.startsWith(QStringLiteral("0x")) || hex.startsWith(QStringLiteral("0X")))
        hex = hex.sliced(2);
    if (hex.size() != 8)
        return fail(Error::at(-1, field, QStringLiteral("a device address is 8 hex digits, got %1 characters").arg(hex.size())));
    std::uint32_t v = 0;
    for (int i = 0; i < 8; ++i) {
        const int d = hexDigit(hex[i]);
        if (d < 0)
            return fail(Error::at(-1, field, QStringLiteral("'%1' at character %2 is not a hex digit").arg(hex[i]).arg(i)));
        v = v << 4 | std::uint32_t(d);
    }
    return v;
}

QString formatDevAddr(std::uint32_t devAddr) { return QStringLiteral("%1").arg(devAddr, 8, 16, QLatin1Char('0')); }

Result<AesKey> keyFromBytes(QByteArrayView bytes, const QString& field)
{
    if (bytes.size() != 16)
        return fail(Error::at(-1, field, QStringLiteral("an AES-128 key is 16 bytes, got %1").arg(bytes.size())));
    AesKey key{};
    for (int i = 0; i < 16; ++i)
        key[size_t(i)] = std::uint8_t(bytes[i]);
    return key;
}

QByteArray keyBytes(const AesKey& key) { return QByteArray(reinterpret_cast<const char*>(key.data()), 16); }

} // namespace otalab::core::lorawan
