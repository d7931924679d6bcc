// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariofieldinput.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>

#include <climits>
#include <cmath>

namespace otalab::app {

namespace {

std::optional<quint64> parseUnsigned(const QString& text)
{
    const QString t = text.trimmed();
    bool ok = false;
    const quint64 v = t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) ? t.mid(2).toULongLong(&ok, 16) : t.toULongLong(&ok, 10);
    return ok ? std::optional(v) : std::nullopt;
}

std::optional<quint64> unsignedOf(const QJsonValue& v)
{
    if (v.isDouble() && v.toDouble() >= 0)
        return quint64(v.toDouble());
    if (v.isString())
        return parseUnsigned(v.toString());
    return std::nullopt;
}

QString hexText(quint64 v, int digits)
{
    return QStringLiteral("0x") + QString::number(v, 16).toUpper().rightJustified(digits, QLatin1Char('0'));
}

bool isOptional(const ScenarioFieldSpec& s) { return s.defaultValue.isNull() || s.defaultValue.isUndefined(); }

// Line edits for optional numbers, hex and lists; spin boxes for required numbers.
bool usesLineEdit(const ScenarioFieldSpec& s)
{
    switch (s.kind) {
    case FieldKind::Integer:
    case FieldKind::Number:
        return isOptional(s);
    case FieldKind::Hex:
    case FieldKind::Text:
    case FieldKind::IntegerList:
        return true;
    case FieldKind::Boolean:
    case FieldKind::Choice:
        return false;
    }
    return true;
}

} // namespace

ScenarioFieldInput::ScenarioFieldInput(ScenarioFieldSpec spec, QWidget* parent) : QWidget(parent), m_spec(std::move(spec))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // A "key#form" choice (how a keyword-or-value key is given) is named by its key.
    const QString shownKey = m_spec.key.section(QLatin1Char('#'), 0, 0);
    const QString tip = QStringLiteral("\"%1\": %2").arg(shownKey, m_spec.tip);
    if (usesLineEdit(m_spec)) {
        auto* edit = new QLineEdit(this);
        QString pattern;
        switch (m_spec.kind) {
        case FieldKind::Integer: pattern = QStringLiteral("-?[0-9]{1,12}"); break;
        case FieldKind::Number: pattern = QStringLiteral("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?"); break;
        case FieldKind::Hex: pattern = QStringLiteral("(0[xX][0-9a-fA-F]{1,16}|[0-9]{1,20})"); break;
        case FieldKind::IntegerList: pattern = QStringLiteral("[0-9a-fA-FxX ,]*"); break;
        default: break;
        }
        if (!pattern.isEmpty())  // empty is acceptable: it removes an optional key (Return then ends the edit)
            edit->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("(%1)?").arg(pattern)), edit));
        if (isOptional(m_spec))
            edit->setPlaceholderText(!m_spec.emptyMeaning.isEmpty()           ? m_spec.emptyMeaning
                                     : m_spec.kind == FieldKind::IntegerList ? tr("none")
                                                                             : tr("not set"));
        connect(edit, &QLineEdit::editingFinished, this, [this, edit] {
            if (!edit->isModified())
                return;
            edit->setModified(false);
            emitIfUser();
        });
        m_input = edit;
    } else if (m_spec.kind == FieldKind::Integer) {
        auto* spin = new QSpinBox(this);
        spin->setRange(int(std::max<double>(m_spec.min, INT_MIN)), int(std::min<double>(m_spec.max, INT_MAX)));
        spin->setSuffix(m_spec.suffix);
        spin->setGroupSeparatorShown(m_spec.max > 9999);
        connect(spin, &QSpinBox::valueChanged, this, &ScenarioFieldInput::emitIfUser);
        m_input = spin;
    } else if (m_spec.kind == FieldKind::Number) {
        auto* spin = new QDoubleSpinBox(this);
        spin->setDecimals(m_spec.decimals);
        spin->setRange(m_spec.min, m_spec.max);
        spin->setSingleStep(m_spec.decimals >= 3 ? std::pow(10.0, 2 - m_spec.decimals) : 1.0);
        spin->setSuffix(m_spec.suffix);
        connect(spin, &QDoubleSpinBox::valueChanged, this, &ScenarioFieldInput::emitIfUser);
        m_input = spin;
    } else if (m_spec.kind == FieldKind::Boolean && !isOptional(m_spec)) {
        auto* box = new QCheckBox(this);
        connect(box, &QCheckBox::toggled, this, &ScenarioFieldInput::emitIfUser);
        m_input = box;
    } else {
        auto* combo = new QComboBox(this);
        if (m_spec.kind == FieldKind::Boolean) {
            combo->addItem(tr("not set"), QString());
            combo->addItem(tr("yes"), QStringLiteral("true"));
            combo->addItem(tr("no"), QStringLiteral("false"));
        } else {
            for (const QString& c : m_spec.choices)
                combo->addItem(c, c);
        }
        connect(combo, &QComboBox::activated, this, &ScenarioFieldInput::emitIfUser);
        m_input = combo;
    }
    m_input->setToolTip(tip);
    layout->addWidget(m_input, 1);
    if (qobject_cast<QLineEdit*>(m_input) && !m_spec.suffix.trimmed().isEmpty())  // spin boxes show it inside
        layout->addWidget(new QLabel(m_spec.suffix.trimmed(), this));
    setFocusProxy(m_input);
}

void ScenarioFieldInput::setValue(const QJsonValue& given)
{
    m_populating = true;
    const QJsonValue v = given.isUndefined() || given.isNull() ? m_spec.defaultValue : given;
    const QSignalBlocker block(m_input);
    if (auto* edit = qobject_cast<QLineEdit*>(m_input)) {
        if (!edit->hasFocus() || !edit->isModified()) {
            QString text;
            if (v.isNull() || v.isUndefined()) {
                text.clear();
            } else if (m_spec.kind == FieldKind::Hex) {
                const auto n = unsignedOf(v);
                text = n ? hexText(*n, m_spec.hexDigits) : v.toVariant().toString();
            } else if (m_spec.kind == FieldKind::IntegerList) {
                QStringList items;
                for (const QJsonValue& item : v.toArray())
                    items << (item.isString() ? item.toString() : QString::number(qint64(item.toDouble())));
                text = items.join(QStringLiteral(", "));
            } else if (v.isDouble()) {
                text = QString::number(v.toDouble(), 'g', 12);
            } else {
                text = v.toVariant().toString();
            }
            edit->setText(text);
            edit->setModified(false);
        }
    } else if (auto* spin = qobject_cast<QSpinBox*>(m_input)) {
        spin->setValue(int(std::clamp<double>(v.toDouble(), spin->minimum(), spin->maximum())));
    } else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(m_input)) {
        dspin->setValue(v.toDouble());
    } else if (auto* box = qobject_cast<QCheckBox*>(m_input)) {
        box->setChecked(v.toBool());
    } else if (auto* combo = qobject_cast<QComboBox*>(m_input)) {
        const QString key = v.isBool() ? (v.toBool() ? QStringLiteral("true") : QStringLiteral("false")) : v.toString();
        combo->setCurrentIndex(std::max(0, combo->findData(key)));
    }
    m_populating = false;
}

std::optional<QJsonValue> ScenarioFieldInput::value() const
{
    if (auto* edit = qobject_cast<QLineEdit*>(m_input)) {
        const QString text = edit->text().trimmed();
        if (text.isEmpty())
            return isOptional(m_spec) ? std::nullopt : std::optional<QJsonValue>(m_spec.kind == FieldKind::Text ? QJsonValue(QString()) : m_spec.defaultValue);
        switch (m_spec.kind) {
        case FieldKind::Integer:
            return QJsonValue(text.toLongLong());
        case FieldKind::Number:
            return QJsonValue(text.toDouble());
        case FieldKind::Hex: {
            const auto n = parseUnsigned(text);
            if (!n)
                return QJsonValue(text);  // the loader reports it at this key
            return *n > quint64(1) << 53 || m_spec.hexDigits > 1 ? QJsonValue(hexText(*n, m_spec.hexDigits)) : QJsonValue(qint64(*n));
        }
        case FieldKind::IntegerList: {
            QJsonArray items;
            for (const QString& part : text.split(QRegularExpression(QStringLiteral("[ ,]+")), Qt::SkipEmptyParts)) {
                const auto n = parseUnsigned(part);
                items.append(n ? QJsonValue(qint64(*n)) : QJsonValue(part));
            }
            return QJsonValue(items);
        }
        default:
            return QJsonValue(text);
        }
    }
    if (auto* spin = qobject_cast<QSpinBox*>(m_input))
        return QJsonValue(qint64(spin->value()));
    if (auto* dspin = qobject_cast<QDoubleSpinBox*>(m_input))
        return QJsonValue(dspin->value());
    if (auto* box = qobject_cast<QCheckBox*>(m_input))
        return QJsonValue(box->isChecked());
    if (auto* combo = qobject_cast<QComboBox*>(m_input)) {
        const QString data = combo->currentData().toString();
        if (m_spec.kind == FieldKind::Boolean)
            return data.isEmpty() ? std::nullopt : std::optional<QJsonValue>(data == QLatin1String("true"));
        return QJsonValue(data);
    }
    return std::nullopt;
}

void ScenarioFieldInput::emitIfUser()
{
    if (!m_populating)
        Q_EMIT edited(value());
}

} // namespace otalab::app
