// SPDX-License-Identifier: Apache-2.0
// Typed reading of ConnectionSpec options for transport plugins.
#include "option_reader.h"

namespace otalab::plugins {

OptionReader::OptionReader(QString scheme, QVariantMap options)
    : m_scheme(std::move(scheme)), m_options(std::move(options))
{
}

void OptionReader::note(const QString& key)
{
    if (!m_known.contains(key))
        m_known.append(key);
}

int OptionReader::integer(const QString& key, int fallback, int min, int max)
{
    note(key);
    if (!m_options.contains(key))
        return fallback;
    const QString text = m_options.value(key).toString().trimmed();
    bool ok = false;
    const qlonglong value = text.toLongLong(&ok, 0);
    if (!ok || value < min || value > max) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1 option %2=%3 is not valid: expected a whole number from %4 to %5")
                          .arg(m_scheme, key, text).arg(min).arg(max);
        return fallback;
    }
    return int(value);
}

QString OptionReader::choice(const QString& key, const QString& fallback, const QStringList& allowed)
{
    note(key);
    if (!m_options.contains(key))
        return fallback;
    const QString text = m_options.value(key).toString().trimmed();
    for (const QString& candidate : allowed) {
        if (candidate.compare(text, Qt::CaseInsensitive) == 0)
            return candidate;
    }
    if (m_error.isEmpty())
        m_error = QStringLiteral("%1 option %2=%3 is not valid: expected one of %4")
                      .arg(m_scheme, key, text, allowed.join(QStringLiteral(", ")));
    return fallback;
}

Result<void> OptionReader::finish() const
{
    if (!m_error.isEmpty())
        return fail(m_error);
    for (auto it = m_options.cbegin(); it != m_options.cend(); ++it) {
        if (!m_known.contains(it.key())) {
            return fail(QStringLiteral("unknown option '%1' for %2; known options: %3")
                            .arg(it.key(), m_scheme, m_known.join(QStringLiteral(", "))));
        }
    }
    return {};
}

} // namespace otalab::plugins
