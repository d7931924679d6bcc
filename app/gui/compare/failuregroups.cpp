// SPDX-License-Identifier: Apache-2.0
#include "compare/failuregroups.h"

#include <QHash>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace otalab::app {

namespace {

// Hex literals first so "0x00ab" is one number, then decimals ("12", "3.5").
const QRegularExpression& numberPattern()
{
    static const QRegularExpression re(QStringLiteral("0x[0-9A-Fa-f]+|[0-9]+(?:\\.[0-9]+)?"));
    return re;
}

// The reason split at its numbers: text pieces (one more than numbers) and the numbers.
struct Shape {
    QStringList pieces;
    QStringList numbers;
};

Shape shapeOf(const QString& reason)
{
    Shape s;
    qsizetype at = 0;
    auto it = numberPattern().globalMatch(reason);
    while (it.hasNext()) {
        const auto m = it.next();
        s.pieces.append(reason.mid(at, m.capturedStart() - at));
        s.numbers.append(m.captured());
        at = m.capturedEnd();
    }
    s.pieces.append(reason.mid(at));
    return s;
}

struct Group {
    Shape first;
    std::vector<bool> varies;  // per number: not all members agree
    int count = 0;
};

} // namespace

std::vector<FailureGroup> groupFailures(const sim::RunResult& result, sim::DeviceOutcome outcome)
{
    QHash<QString, Group> groups;  // key: the pieces joined with a number marker
    for (const sim::DeviceResult& d : result.devices) {
        if (d.outcome != outcome)
            continue;
        const QString reason = d.failureReason.trimmed().isEmpty() ? QStringLiteral("no reason given") : d.failureReason.trimmed();
        Shape shape = shapeOf(reason);
        const QString key = shape.pieces.join(QChar(0x1F));
        Group& g = groups[key];
        if (g.count == 0) {
            g.first = std::move(shape);
            g.varies.assign(std::size_t(g.first.numbers.size()), false);
        } else {
            for (qsizetype i = 0; i < shape.numbers.size(); ++i)
                if (shape.numbers[i] != g.first.numbers[i])
                    g.varies[std::size_t(i)] = true;
        }
        ++g.count;
    }
    std::vector<FailureGroup> out;
    out.reserve(std::size_t(groups.size()));
    for (const Group& g : std::as_const(groups)) {
        QString text = g.first.pieces.front();
        for (qsizetype i = 0; i < g.first.numbers.size(); ++i)
            text += (g.varies[std::size_t(i)] ? QStringLiteral("…") : g.first.numbers[i]) + g.first.pieces[i + 1];
        out.push_back({text, g.count});
    }
    std::sort(out.begin(), out.end(), [](const FailureGroup& x, const FailureGroup& y) {
        return x.count != y.count ? x.count > y.count : x.reason < y.reason;
    });
    return out;
}

QString failureSummary(const std::vector<FailureGroup>& groups, const QString& what, int maxGroups)
{
    int total = 0;
    for (const FailureGroup& g : groups)
        total += g.count;
    if (total == 0)
        return QStringLiteral("0 %1").arg(what);
    QStringList parts;
    int shown = 0, rest = 0;
    for (const FailureGroup& g : groups) {
        if (int(parts.size()) < std::max(1, maxGroups)) {
            parts.append(QStringLiteral("%1 × %2").arg(g.count).arg(g.reason));
            shown += g.count;
        } else {
            rest += g.count;
        }
    }
    if (rest > 0)
        parts.append(QStringLiteral("%1 × other reasons").arg(rest));
    return QStringLiteral("%1 %2: %3").arg(total).arg(what, parts.join(QStringLiteral(", ")));
}

} // namespace otalab::app
