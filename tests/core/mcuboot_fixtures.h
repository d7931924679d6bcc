// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the MCUboot tests: fixture paths under tests/data/mcuboot and
// the TEST ONLY demo keys in tests/data/mcuboot/test-keys.
#pragma once

#include "core/crypto/pkey.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace otalab::test::mcuboot {

inline QString dataPath(const QString& relative)
{
    return QStringLiteral(OTALAB_TEST_DATA_DIR "/mcuboot/") + relative;
}

inline QByteArray readData(const QString& relative)
{
    QFile f(dataPath(relative));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

inline core::crypto::PKey testKey(const QString& name)
{
    auto key = core::crypto::PKey::fromFile(dataPath(QStringLiteral("test-keys/") + name));
    return key ? *key : core::crypto::PKey();
}

} // namespace otalab::test::mcuboot
