// SPDX-License-Identifier: Apache-2.0
// ImageInspectorPanel and its controller: badges, first error, finding selection, load errors.
#include "app/gui/badgeview.h"
#include "app/gui/findingsmodel.h"
#include "app/gui/hexview.h"
#include "app/gui/imageinspectorcontroller.h"
#include "app/gui/imageinspectorpanel.h"
#include "app/gui/inspectionsummaryview.h"
#include "app/gui/inspectiontreemodel.h"
#include "gui_test_support.h"

#include <QApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using otalab::app::HexView;
using otalab::app::ImageInspectorController;
using otalab::app::ImageInspectorPanel;
using otalab::app::InspectionTreeModel;
using otalab::core::image::CheckState;

namespace {

void showPanel(ImageInspectorPanel& panel)
{
    panel.resize(1200, 800);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        ADD_FAILURE() << "cannot write " << path.toStdString();
    return path;
}

} // namespace

TEST(GuiImageInspectorPanel, ShowsInvalidBadgeAndTheFirstErrorWithItsBytes)
{
    otalab::testing::ensureApp();
    ImageInspectorPanel panel;
    showPanel(panel);
    panel.controller()->setInspection(QStringLiteral("/tmp/vendor.ota"), otalab::testing::brokenInspection());

    const auto* summary = panel.summaryView();
    EXPECT_EQ(summary->bannerText(), QStringLiteral("Error at offset 0x1c (header.totalImageSize): total image size 9999 "
                                                    "does not match the file size 256"));
    EXPECT_TRUE(summary->bannerIsError());
    EXPECT_EQ(summary->signatureBadge()->state(), CheckState::Invalid);
    EXPECT_EQ(summary->signatureBadge()->pillText(), QStringLiteral("Signature: invalid"));
    EXPECT_EQ(summary->signatureBadge()->detailText(), QStringLiteral("ECDSA over [0, 0xc0) does not verify"));
    EXPECT_EQ(summary->encryptionBadge()->state(), CheckState::Unchecked);
    EXPECT_EQ(summary->integrityBadge()->state(), CheckState::Absent);

    // The first error is selected: its node in the tree, its bytes in the dump.
    EXPECT_EQ(panel.findingsView()->currentIndex().row(), 0);
    EXPECT_EQ(panel.treeModel()->path(panel.treeView()->currentIndex()), QStringLiteral("header.totalImageSize"));
    EXPECT_EQ(panel.hexView()->highlightOffset(), 0x1c);
    EXPECT_EQ(panel.hexView()->highlightSize(), 4);
    EXPECT_EQ(panel.hexView()->highlightKind(), HexView::Highlight::Problem);
    EXPECT_EQ(panel.hexView()->data().size(), 256);
}

// Docked beside the lab (~290 px) the badges' details would be squeezed into a column a
// word wide, overlapping the next badge: there the head stacks, each detail under its pill.
TEST(GuiImageInspectorPanel, NarrowPanelStacksTheBadgesAndEachDetailFitsItsBadge)
{
    otalab::testing::ensureApp();
    ImageInspectorPanel panel;
    showPanel(panel);
    panel.controller()->setInspection(QStringLiteral("/tmp/vendor.ota"), otalab::testing::brokenInspection());
    auto* summary = panel.summaryView();
    EXPECT_FALSE(summary->isStacked());
    EXPECT_FALSE(summary->signatureBadge()->isStacked());

    panel.resize(300, 800);
    ASSERT_TRUE(QTest::qWaitFor([&] { return summary->width() < otalab::app::InspectionSummaryView::kStackBelowWidth; },
                                30'000));
    EXPECT_TRUE(summary->isStacked());
    QApplication::processEvents();
    for (const auto* badge : {summary->integrityBadge(), summary->signatureBadge(), summary->encryptionBadge()}) {
        EXPECT_TRUE(badge->isStacked());
        // Siblings never overlap: each badge starts below the previous one's bottom.
        EXPECT_GE(badge->width(), 200);
    }
    EXPECT_GE(summary->signatureBadge()->geometry().top(), summary->integrityBadge()->geometry().bottom());
    EXPECT_GE(summary->encryptionBadge()->geometry().top(), summary->signatureBadge()->geometry().bottom());

    panel.resize(1200, 800);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !summary->isStacked(); }, 30'000));
    EXPECT_FALSE(summary->encryptionBadge()->isStacked());
}

TEST(GuiImageInspectorPanel, ClickingAFindingSelectsItsNode)
{
    otalab::testing::ensureApp();
    ImageInspectorPanel panel;
    showPanel(panel);
    panel.controller()->setInspection(QStringLiteral("/tmp/vendor.ota"), otalab::testing::brokenInspection());

    QTreeView* findings = panel.findingsView();
    const QRect warningRow = findings->visualRect(panel.findingsModel()->index(1, otalab::app::FindingsModel::MessageColumn));
    ASSERT_TRUE(warningRow.isValid());
    QTest::mouseClick(findings->viewport(), Qt::LeftButton, {}, warningRow.center());

    EXPECT_EQ(findings->currentIndex().row(), 1);
    EXPECT_EQ(panel.treeModel()->path(panel.treeView()->currentIndex()), QStringLiteral("elements.element[0].length"));
    EXPECT_EQ(panel.hexView()->highlightOffset(), 0x3a);
    EXPECT_EQ(panel.hexView()->highlightSize(), 4);

    // Tree selection drives the dump on its own too.
    const QModelIndex root = panel.treeModel()->index(0, 0);
    const QModelIndex identifier = panel.treeModel()->index(0, 0, panel.treeModel()->index(0, 0, root));
    panel.treeView()->setCurrentIndex(identifier);
    EXPECT_EQ(panel.hexView()->highlightOffset(), 0);
    EXPECT_EQ(panel.hexView()->highlightKind(), HexView::Highlight::Selection);

    // And a byte clicked in the dump selects the field holding it.
    Q_EMIT panel.hexView()->offsetClicked(0x40);
    EXPECT_EQ(panel.treeModel()->path(panel.treeView()->currentIndex()), QStringLiteral("elements.element[0].data"));
    EXPECT_EQ(panel.hexView()->highlightOffset(), 0x3e);
}

TEST(GuiImageInspectorPanel, UnreadableFileIsReportedNotFatal)
{
    otalab::testing::ensureApp();
    ImageInspectorPanel panel;
    showPanel(panel);
    QSignalSpy failed(panel.controller(), &ImageInspectorController::loadFailed);
    QTemporaryDir dir;
    EXPECT_FALSE(panel.controller()->open(dir.filePath(QStringLiteral("missing.ota"))));
    ASSERT_EQ(failed.size(), 1);
    EXPECT_TRUE(failed.at(0).at(0).toString().startsWith(QStringLiteral("Cannot open ")));
    EXPECT_FALSE(panel.controller()->hasFile());
    EXPECT_FALSE(panel.controller()->open(dir.path()));  // a folder
    EXPECT_TRUE(panel.controller()->loadError().contains(QStringLiteral("folder")));

    // After a good load, a failing one keeps the file shown and puts the error in the banner.
    panel.controller()->setInspection(QStringLiteral("/tmp/vendor.ota"), otalab::testing::brokenInspection());
    EXPECT_FALSE(panel.controller()->open(dir.filePath(QStringLiteral("gone.ota"))));
    EXPECT_TRUE(panel.controller()->hasFile());
    EXPECT_TRUE(panel.summaryView()->bannerText().startsWith(QStringLiteral("Cannot open ")));
}

TEST(GuiImageInspectorPanel, UnknownFileShowsTheFormatError)
{
    otalab::testing::ensureApp();
    ImageInspectorPanel panel;
    showPanel(panel);
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("notes.txt"), QByteArray("hello, this is no firmware"));
    QSignalSpy opened(panel.controller(), &ImageInspectorController::fileOpened);
    ASSERT_TRUE(panel.controller()->open(path));
    EXPECT_EQ(opened.size(), 1);
    EXPECT_TRUE(panel.summaryView()->bannerText().startsWith(QStringLiteral("Error at offset 0x0 (magic): not a Zigbee OTA file")))
        << panel.summaryView()->bannerText().toStdString();
    // Unplaced in the tree, the error's first byte is still marked in the dump.
    EXPECT_EQ(panel.hexView()->highlightOffset(), 0);
    EXPECT_EQ(panel.hexView()->highlightSize(), 1);
}

TEST(GuiImageInspectorController, UsesTheGivenInspectorAndRejectsBadKeys)
{
    otalab::testing::ensureApp();
    int calls = 0;
    ImageInspectorController controller(nullptr, [&](const QByteArray& bytes, const otalab::core::image::VerifyOptions&) {
        ++calls;
        otalab::core::image::Inspection in = otalab::testing::brokenInspection();
        in.bytes = bytes;
        return in;
    });
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("a.ota"), QByteArray(10, 'z'));
    ASSERT_TRUE(controller.open(path));
    EXPECT_EQ(controller.inspection()->bytes, QByteArray(10, 'z'));
    EXPECT_EQ(controller.fileName(), QStringLiteral("a.ota"));
    ASSERT_TRUE(controller.reload());
    EXPECT_EQ(calls, 2);

    const QString notAKey = writeFile(dir, QStringLiteral("key.pem"), QByteArray("not a key"));
    QSignalSpy failed(&controller, &ImageInspectorController::loadFailed);
    EXPECT_EQ(controller.setVerificationKeys({notAKey}), 0);
    EXPECT_EQ(failed.size(), 1);
    EXPECT_EQ(calls, 3);  // keys changed: inspected again
    EXPECT_FALSE(controller.setDecryptionKey(notAKey));
    EXPECT_TRUE(controller.decryptionKeyPath().isEmpty());

    const QString pub = QStringLiteral(OTALAB_TEST_DATA_DIR "/mcuboot/test-keys/ecdsa-p256.pub.pem");
    if (QFile::exists(pub)) {
        EXPECT_EQ(controller.setVerificationKeys({pub}), 1);
        EXPECT_FALSE(controller.setDecryptionKey(pub));  // public: cannot decrypt
        EXPECT_TRUE(controller.loadError().contains(QStringLiteral("private key")));
        const int before = calls;
        controller.clearKeys();
        EXPECT_TRUE(controller.verificationKeyPaths().isEmpty());
        EXPECT_EQ(calls, before + 1);
    }
}
