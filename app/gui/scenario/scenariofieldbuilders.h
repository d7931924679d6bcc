// SPDX-License-Identifier: Apache-2.0
// Short builders for ScenarioFieldSpec lists (the SMP and LoRaWAN fleet forms): labels,
// suffixes and tips are translated in the "ScenarioFields" context.
#pragma once

#include "scenario/scenariofieldspec.h"

#include <QCoreApplication>

namespace otalab::app::scenariofields::build {

inline QString tr(const char* text) { return QCoreApplication::translate("ScenarioFields", text); }

inline ScenarioFieldSpec spec(const char* key, const char* label, FieldKind kind, double min, double max, QJsonValue def,
                              const char* suffix, const char* tip, int decimals = 3)
{
    ScenarioFieldSpec s{QLatin1String(key), tr(label), kind, min, max, tr(suffix), tr(tip), std::move(def)};
    s.decimals = decimals;
    return s;
}
inline ScenarioFieldSpec integer(const char* key, const char* label, double min, double max, qint64 def, const char* suffix,
                                 const char* tip)
{
    return spec(key, label, FieldKind::Integer, min, max, QJsonValue(def), suffix, tip);
}
inline ScenarioFieldSpec number(const char* key, const char* label, double min, double max, double def, const char* suffix,
                                const char* tip, int decimals = 3)
{
    return spec(key, label, FieldKind::Number, min, max, QJsonValue(def), suffix, tip, decimals);
}
inline ScenarioFieldSpec text(const char* key, const char* label, QJsonValue def, const char* tip, const char* emptyMeaning = "")
{
    ScenarioFieldSpec s = spec(key, label, FieldKind::Text, 0, 0, std::move(def), "", tip);
    s.emptyMeaning = tr(emptyMeaning);
    return s;
}
inline ScenarioFieldSpec choice(const char* key, const char* label, QStringList choices, const char* def, const char* tip)
{
    ScenarioFieldSpec s = spec(key, label, FieldKind::Choice, 0, 0, QLatin1String(def), "", tip);
    s.choices = std::move(choices);
    return s;
}
inline ScenarioFieldSpec boolean(const char* key, const char* label, bool def, const char* tip)
{
    return spec(key, label, FieldKind::Boolean, 0, 0, QJsonValue(def), "", tip);
}

} // namespace otalab::app::scenariofields::build
