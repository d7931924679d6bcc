// SPDX-License-Identifier: Apache-2.0
// `image keygen`: writes a private key (PKCS#8 PEM) and optionally its public key.
#include "app/cli/commands.h"
#include "core/crypto/pkey.h"

#include <QFile>

namespace otalab::cli {

int imageKeygenCommand(const QStringList& args, CliIo& io)
{
    using core::crypto::KeyType;
    using core::crypto::PKey;
    QCommandLineParser parser;
    const QCommandLineOption type(QStringList{QStringLiteral("t"), QStringLiteral("type")},
                                  QStringLiteral("Key type: ecdsa-p256 (MCUboot, default), ed25519, rsa-2048, rsa-3072, "
                                                 "x25519 (MCUboot encryption), sect163k1 (Zigbee crypto suite 1), "
                                                 "sect283k1 (Zigbee crypto suite 2)."),
                                  QStringLiteral("type"), QStringLiteral("ecdsa-p256"));
    const QCommandLineOption out(QStringList{QStringLiteral("o"), QStringLiteral("out")},
                                 QStringLiteral("Private key file to write (PEM). Refuses to overwrite."),
                                 QStringLiteral("pem"));
    const QCommandLineOption pub(QStringLiteral("public-out"),
                                 QStringLiteral("Also write the public key (PEM) here."), QStringLiteral("pem"));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Overwrite existing files."));
    parser.addOptions({type, out, pub, force});
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Generate a key pair for signing or encrypting images.\n"
                                                "Keys are written unencrypted: keep real signing keys in an HSM or vault.")))
        return *stop;
    if (!parser.isSet(out))
        return reportError(io, QStringLiteral("--out is required (where to write the private key)"), ExitUsage);
    auto keyType = core::crypto::keyTypeFromName(parser.value(type));
    if (!keyType)
        return reportError(io, keyType.error().message, ExitUsage);
    for (const QString& path : {parser.value(out), parser.value(pub)})
        if (!path.isEmpty() && QFile::exists(path) && !parser.isSet(force))
            return reportError(io, QStringLiteral("%1 exists; use --force to overwrite").arg(path), ExitIo);

    auto key = PKey::generate(*keyType);
    if (!key)
        return reportError(io, key.error().message, ExitInvalid);
    if (auto w = writeFileAtomic(parser.value(out), key->privatePem()); !w)
        return reportError(io, w.error().message, ExitIo);
    QFile::setPermissions(parser.value(out), QFile::ReadOwner | QFile::WriteOwner);
    if (parser.isSet(pub))
        if (auto w = writeFileAtomic(parser.value(pub), key->publicPem()); !w)
            return reportError(io, w.error().message, ExitIo);
    io.out << "wrote " << core::crypto::keyTypeName(*keyType) << " private key to " << parser.value(out);
    if (parser.isSet(pub))
        io.out << " and its public key to " << parser.value(pub);
    io.out << "\n";
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
