// SPDX-License-Identifier: Apache-2.0
#include "core/image/decryption_key.h"

#include <QFile>

namespace otalab::core::image {

Result<void> applyDecryptionKey(const QByteArray& contents, VerifyOptions& options)
{
    if ((contents.size() == 16 || contents.size() == 32) && !contents.contains("-----BEGIN")) {
        options.decryptionKey.reset();
        options.decryptionKek = contents;
        return {};
    }
    auto key = crypto::PKey::fromPem(contents);
    if (!key)
        return fail(key.error().message + QStringLiteral(" (expected a PEM private key or a raw 16/32-byte AES-KW key)"));
    if (!key->hasPrivate())
        return fail(QStringLiteral("it is a public key; decryption needs the private key"));
    options.decryptionKey = std::move(*key);
    options.decryptionKek.clear();
    return {};
}

Result<void> loadDecryptionKeyFile(const QString& path, VerifyOptions& options)
{
    constexpr qint64 maxKeyFileSize = 64 * 1024;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read key %1: %2").arg(path, file.errorString()));
    if (file.size() > maxKeyFileSize)
        return fail(QStringLiteral("key %1 is %2 bytes; a key file is at most %3").arg(path).arg(file.size()).arg(maxKeyFileSize));
    if (auto applied = applyDecryptionKey(file.readAll(), options); !applied)
        return fail(QStringLiteral("cannot use key %1: %2").arg(path, applied.error().message));
    return {};
}

} // namespace otalab::core::image
