// SPDX-License-Identifier: Apache-2.0
// InspectionTreeModel and FindingsModel over a hand-built inspection.
#include "app/gui/findingsmodel.h"
#include "app/gui/inspectiontreemodel.h"
#include "gui_test_support.h"

#include <QAbstractItemModelTester>
#include <QColor>

using otalab::app::FindingsModel;
using otalab::app::InspectionTreeModel;
using otalab::core::image::Inspection;
using otalab::core::image::Severity;

namespace {

std::shared_ptr<const Inspection> broken()
{
    return std::make_shared<const Inspection>(otalab::testing::brokenInspection());
}

} // namespace

TEST(GuiInspectionTreeModel, RowsAndColumnsFollowTheNodeTree)
{
    otalab::testing::ensureApp();
    InspectionTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    EXPECT_EQ(model.rowCount(), 0);
    model.setInspection(broken());

    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.columnCount(), 4);
    const QModelIndex root = model.index(0, 0);
    EXPECT_EQ(root.data().toString(), QStringLiteral("Zigbee OTA file"));
    ASSERT_EQ(model.rowCount(root), 2);
    const QModelIndex header = model.index(0, 0, root);
    EXPECT_EQ(header.data().toString(), QStringLiteral("OTA header"));
    ASSERT_EQ(model.rowCount(header), 2);
    const QModelIndex size = model.index(1, 0, header);
    EXPECT_EQ(model.parent(size), header);
    EXPECT_EQ(model.path(size), QStringLiteral("header.totalImageSize"));
    EXPECT_EQ(model.index(1, InspectionTreeModel::ValueColumn, header).data().toString(), QStringLiteral("9999 bytes"));
    EXPECT_EQ(model.index(1, InspectionTreeModel::OffsetColumn, header).data().toString(), QStringLiteral("0x1c"));
    EXPECT_EQ(model.index(1, InspectionTreeModel::SizeColumn, header).data().toString(), QStringLiteral("4"));
    EXPECT_EQ(model.headerData(InspectionTreeModel::OffsetColumn, Qt::Horizontal).toString(), QStringLiteral("Offset"));
}

TEST(GuiInspectionTreeModel, ProblemNodesAreRedWithIconAndFindingTooltip)
{
    otalab::testing::ensureApp();
    InspectionTreeModel model;
    model.setInspection(broken());
    const QModelIndex header = model.index(0, 0, model.index(0, 0));
    const QModelIndex size = model.index(1, 0, header);
    const QModelIndex identifier = model.index(0, 0, header);

    EXPECT_TRUE(size.data(InspectionTreeModel::NodeProblemRole).toBool());
    EXPECT_EQ(size.data(Qt::ForegroundRole).value<QColor>().red(), 0xc6);
    EXPECT_FALSE(size.data(Qt::DecorationRole).isNull());
    EXPECT_TRUE(size.data(Qt::ToolTipRole).toString().contains(QStringLiteral("does not match the file size")));

    EXPECT_FALSE(identifier.data(InspectionTreeModel::NodeProblemRole).toBool());
    EXPECT_FALSE(identifier.data(Qt::ForegroundRole).isValid());
    EXPECT_TRUE(identifier.data(Qt::DecorationRole).isNull());
}

TEST(GuiInspectionTreeModel, FindingsResolveToTheirNodes)
{
    otalab::testing::ensureApp();
    InspectionTreeModel model;
    model.setInspection(broken());
    using otalab::core::image::Finding;

    const auto pathOf = [&](const Finding& f) { return model.path(model.indexForFinding(f)); };
    EXPECT_EQ(pathOf({Severity::Error, QStringLiteral("header.totalImageSize"), 0x1c, {}}), QStringLiteral("header.totalImageSize"));
    // The root's own name as prefix is accepted.
    EXPECT_EQ(pathOf({Severity::Error, QStringLiteral("file.header"), -1, {}}), QStringLiteral("header"));
    // An unknown leaf under a known node: the smallest node holding the offset there.
    EXPECT_EQ(pathOf({Severity::Error, QStringLiteral("elements.element[0].crc"), 0x40, {}}),
              QStringLiteral("elements.element[0].data"));
    EXPECT_EQ(pathOf({Severity::Error, QStringLiteral("elements.element[0].crc"), -1, {}}), QStringLiteral("elements.element[0]"));
    // No field: by offset alone.
    EXPECT_EQ(pathOf({Severity::Error, {}, 2, {}}), QStringLiteral("header.identifier"));
    // Nothing more specific than the whole file: unplaced.
    EXPECT_FALSE(model.indexForFinding({Severity::Error, QStringLiteral("magic"), 0x1000, {}}).isValid());
    EXPECT_FALSE(model.indexForFinding({Severity::Error, QStringLiteral("magic"), -1, {}}).isValid());
}

TEST(GuiFindingsModel, ErrorsComeFirst)
{
    otalab::testing::ensureApp();
    FindingsModel model;
    model.setInspection(broken());
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.finding(0)->severity, Severity::Error);
    EXPECT_EQ(model.index(0, FindingsModel::FieldColumn).data().toString(), QStringLiteral("header.totalImageSize"));
    EXPECT_EQ(model.index(0, FindingsModel::OffsetColumn).data().toString(), QStringLiteral("0x1c"));
    EXPECT_EQ(model.index(1, FindingsModel::SeverityColumn).data().toString(), QStringLiteral("warning"));
    EXPECT_EQ(model.finding(2), nullptr);
    model.setInspection(nullptr);
    EXPECT_EQ(model.rowCount(), 0);
}
