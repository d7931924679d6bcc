// SPDX-License-Identifier: Apache-2.0
// Typed reading of ConnectionSpec options ("baud=115200,flow=rts") for transport plugins.
#pragma once

#include "core/common/error.h"

#include <QSet>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace otalab::plugins {

// Reads options by name; every read records the key as known. finish() reports the
// first bad value, or else any key nobody read ("unknown option 'bud' for serial;
// known: baud, flow, …"), so a typo never passes silently.
class OptionReader final {
public:
    OptionReader(QString scheme, QVariantMap options);

    int integer(const QString& key, int fallback, int min, int max);
    // Case-insensitive; returns the entry of `allowed` that matched.
    QString choice(const QString& key, const QString& fallback, const QStringList& allowed);
    bool has(const QString& key) const { return m_options.contains(key); }

    Result<void> finish() const;

private:
    void note(const QString& key);

    QString m_scheme;
    QVariantMap m_options;
    QStringList m_known;
    QString m_error;
};

} // namespace otalab::plugins
