// SPDX-License-Identifier: Apache-2.0
#include "app/cli/inspection_printer.h"

namespace otalab::cli {
namespace {

using core::image::Badge;
using core::image::Node;

QString range(qint64 offset, qint64 size)
{
    if (offset < 0)
        return QString(20, QLatin1Char(' '));
    return QStringLiteral("0x%1 +%2").arg(offset, 6, 16, QLatin1Char('0')).arg(size, -10);
}

void printNode(QTextStream& out, const Node& node, int depth)
{
    const QString name = QString(depth * 2, QLatin1Char(' ')) + (node.label.isEmpty() ? node.name : node.label);
    out << range(node.offset, node.size) << "  " << name.leftJustified(34) << " " << node.value
        << (node.problem ? QStringLiteral("   <-- problem") : QString()) << "\n";
    for (const Node& child : node.children)
        printNode(out, child, depth + 1);
}

void printBadge(QTextStream& out, const char* what, const Badge& badge)
{
    out << "  " << QString::fromLatin1(what).leftJustified(11) << core::image::checkStateName(badge.state).leftJustified(10)
        << badge.detail << "\n";
}

} // namespace

void printInspection(QTextStream& out, const QString& fileName, const core::image::Inspection& inspection,
                     bool showTree)
{
    out << fileName << ": " << inspection.formatName << ", " << inspection.bytes.size() << " bytes — "
        << (inspection.isValid() ? "VALID" : "INVALID") << "\n";
    printBadge(out, "integrity", inspection.integrity);
    printBadge(out, "signature", inspection.signature);
    printBadge(out, "encryption", inspection.encryption);
    if (!inspection.findings.empty()) {
        out << "\nFindings:\n";
        for (const auto& f : inspection.findings) {
            out << "  " << core::image::severityName(f.severity).leftJustified(8);
            if (f.offset >= 0)
                out << QStringLiteral("0x%1  ").arg(f.offset, 6, 16, QLatin1Char('0'));
            if (!f.field.isEmpty())
                out << f.field << ": ";
            out << f.message << "\n";
        }
    }
    if (showTree) {
        out << "\n" << QStringLiteral("offset   size").leftJustified(20) << "  field\n";
        printNode(out, inspection.root, 0);
    }
    out.flush();
}

} // namespace otalab::cli
