// SPDX-License-Identifier: Apache-2.0
// The Image Inspector on the committed Zigbee and MCUboot fixtures, through the real parsers.
#include "app/gui/badgeview.h"
#include "app/gui/hexview.h"
#include "app/gui/imageinspectorcontroller.h"
#include "app/gui/imageinspectorpanel.h"
#include "app/gui/inspectionsummaryview.h"
#include "app/gui/inspectiontreemodel.h"
#include "app/gui/mainwindow.h"
#include "gui_test_support.h"

#include <QDir>
#include <QTreeView>
#include <QSettings>

using otalab::app::ImageInspectorPanel;
using otalab::core::image::CheckState;

namespace {

QStringList fixtures(const QString& dir)
{
    QStringList paths;
    const QDir d(QStringLiteral(OTALAB_TEST_DATA_DIR "/") + dir);
    for (const QString& name : d.entryList({QStringLiteral("*.ota")}, QDir::Files, QDir::Name))
        paths.append(d.filePath(name));
    return paths;
}

} // namespace

TEST(GuiRealFiles, GoodZigbeeFilesShowNoError)
{
    otalab::testing::ensureApp();
    const QStringList paths = fixtures(QStringLiteral("zigbee/good"));
    if (paths.isEmpty())
        GTEST_SKIP() << "no fixtures in tests/data/zigbee/good";
    ImageInspectorPanel panel;
    for (const QString& path : paths) {
        SCOPED_TRACE(path.toStdString());
        ASSERT_TRUE(panel.controller()->open(path));
        EXPECT_FALSE(panel.summaryView()->bannerIsError()) << panel.summaryView()->bannerText().toStdString();
        EXPECT_EQ(panel.controller()->inspection()->formatName, QStringLiteral("Zigbee OTA file"));
    }
}

TEST(GuiRealFiles, MalformedZigbeeFilesPointAtTheirFirstError)
{
    otalab::testing::ensureApp();
    const QStringList paths = fixtures(QStringLiteral("zigbee/malformed"));
    if (paths.isEmpty())
        GTEST_SKIP() << "no fixtures in tests/data/zigbee/malformed";
    ImageInspectorPanel panel;
    // The tampered-signature fixtures are invalid only when checked against their keys.
    const QString keys = QStringLiteral(OTALAB_TEST_DATA_DIR "/zigbee/keys/");
    EXPECT_EQ(panel.controller()->setVerificationKeys({keys + QStringLiteral("cs1_public.pem"), keys + QStringLiteral("cs2_public.pem")}), 2);
    for (const QString& path : paths) {
        SCOPED_TRACE(path.toStdString());
        ASSERT_TRUE(panel.controller()->open(path));
        const auto inspection = panel.controller()->inspection();
        EXPECT_TRUE(panel.summaryView()->bannerIsError());
        if (const auto* error = inspection->firstError()) {
            EXPECT_TRUE(panel.summaryView()->bannerText().startsWith(QStringLiteral("Error")));
            EXPECT_TRUE(panel.summaryView()->bannerText().contains(error->message));
            // The node the error names is selected and its bytes highlighted; an
            // error no node matches still has the byte at its offset highlighted.
            const auto* hex = panel.hexView();
            const QModelIndex node = panel.treeModel()->indexForFinding(*error);
            if (node.isValid()) {
                EXPECT_EQ(panel.treeView()->currentIndex(), node);
                const qint64 nodeOffset = node.data(otalab::app::InspectionTreeModel::NodeOffsetRole).toLongLong();
                if (nodeOffset >= 0 && nodeOffset < inspection->bytes.size()) {
                    EXPECT_EQ(hex->highlightOffset(), nodeOffset);
                }
            } else if (error->offset >= 0 && error->offset < inspection->bytes.size()) {
                EXPECT_EQ(hex->highlightOffset(), error->offset);
            }
        }
    }
}

TEST(GuiRealFiles, SignedMcubootImageVerifiesWithItsKey)
{
    otalab::testing::ensureApp();
    const QString image = QStringLiteral(OTALAB_TEST_DATA_DIR "/mcuboot/imgtool/ecdsa-p256.bin");
    const QString key = QStringLiteral(OTALAB_TEST_DATA_DIR "/mcuboot/test-keys/ecdsa-p256.pub.pem");
    if (!QFileInfo::exists(image) || !QFileInfo::exists(key))
        GTEST_SKIP() << "MCUboot fixtures missing";
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
    otalab::app::MainWindow window;
    ASSERT_TRUE(window.openImage(image));
    const auto* summary = window.imageInspector()->summaryView();
    EXPECT_EQ(summary->signatureBadge()->state(), CheckState::Unchecked);  // no key yet
    EXPECT_EQ(window.windowTitle(), QStringLiteral("OTA Lab — ecdsa-p256.bin"));

    EXPECT_EQ(window.imageInspector()->controller()->setVerificationKeys({key}), 1);  // re-inspects
    EXPECT_EQ(summary->signatureBadge()->state(), CheckState::Valid);
    EXPECT_EQ(summary->integrityBadge()->state(), CheckState::Valid);
    EXPECT_FALSE(summary->bannerIsError());
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
}

TEST(GuiRealFiles, AesKwEncryptedMcubootImageDecryptsWithARawKek)
{
    otalab::testing::ensureApp();
    const QString image = QStringLiteral(OTALAB_TEST_DATA_DIR "/mcuboot/imgtool/ed25519-aeskw128.bin");
    const QString kek = QStringLiteral(OTALAB_TEST_DATA_DIR "/mcuboot/test-keys/kek-128.bin");
    if (!QFileInfo::exists(image) || !QFileInfo::exists(kek))
        GTEST_SKIP() << "MCUboot AES-KW fixtures missing";
    ImageInspectorPanel panel;
    ASSERT_TRUE(panel.controller()->open(image));
    EXPECT_NE(panel.summaryView()->encryptionBadge()->state(), CheckState::Valid);
    ASSERT_TRUE(panel.controller()->setDecryptionKey(kek));  // raw 16 bytes, not PEM
    EXPECT_EQ(panel.summaryView()->encryptionBadge()->state(), CheckState::Valid)
        << panel.summaryView()->encryptionBadge()->detailText().toStdString();
    EXPECT_EQ(panel.summaryView()->integrityBadge()->state(), CheckState::Valid);
}
