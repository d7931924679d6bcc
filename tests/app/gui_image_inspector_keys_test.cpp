// SPDX-License-Identifier: Apache-2.0
// The Image Inspector's key ring across files (real fixtures): keys stay loaded, each
// file is checked only with the keys that fit it, the note says what the keys did, and
// opening a file brings the inspector forward.
#include "app/gui/badgeview.h"
#include "app/gui/imageinspectorcontroller.h"
#include "app/gui/imageinspectorpanel.h"
#include "app/gui/inspectionsummaryview.h"
#include "app/gui/mainwindow.h"
#include "gui_test_support.h"

#include <QDockWidget>
#include <QSettings>
#include <QTest>

using otalab::app::ImageInspectorPanel;
using otalab::core::image::CheckState;

namespace {

QString data(const char* path)
{
    return QStringLiteral(OTALAB_TEST_DATA_DIR "/") + QLatin1String(path);
}

std::string text(const QString& s)
{
    return s.toStdString();
}

} // namespace

TEST(GuiImageInspectorKeys, AZigbeeKeyLeftLoadedLeavesAnMcubootSignatureUncheckedNotInvalid)
{
    otalab::testing::ensureApp();
    ImageInspectorPanel panel;
    auto* controller = panel.controller();
    const auto* summary = panel.summaryView();

    ASSERT_TRUE(controller->open(data("zigbee/good/signed_cs2.ota")));
    ASSERT_EQ(controller->setVerificationKeys({data("zigbee/keys/cs2_public.pem")}), 1);
    EXPECT_EQ(summary->signatureBadge()->state(), CheckState::Valid) << text(summary->signatureBadge()->detailText());
    EXPECT_TRUE(summary->detailsText().contains(QStringLiteral("signature verified with cs2_public.pem"))) << text(summary->detailsText());

    // The Zigbee key stays loaded; the MCUboot image is not checked with it.
    ASSERT_TRUE(controller->open(data("mcuboot/imgtool/ecdsa-p256.bin")));
    EXPECT_EQ(summary->signatureBadge()->state(), CheckState::Unchecked) << text(summary->signatureBadge()->detailText());
    EXPECT_TRUE(controller->inspection()->isValid());
    EXPECT_FALSE(summary->bannerIsError()) << text(summary->bannerText());
    EXPECT_TRUE(summary->signatureBadge()->detailText().contains(QStringLiteral("cs2_public.pem (a sect283k1 key; this image is signed with ECDSA P-256)")))
        << text(summary->signatureBadge()->detailText());
    EXPECT_TRUE(summary->detailsText().contains(QStringLiteral("none of the 1 loaded key(s) fits this file"))) << text(summary->detailsText());
    EXPECT_FALSE(summary->signatureBadge()->detailText().contains(QStringLiteral("no verification key given")))
        << text(summary->signatureBadge()->detailText());
    EXPECT_FALSE(summary->detailsText().contains(QStringLiteral("verified"))) << text(summary->detailsText());
    ASSERT_EQ(controller->keyUses().size(), 1u);
    EXPECT_FALSE(controller->keyUses()[0].used);
    EXPECT_EQ(controller->verificationKeyPaths().size(), 1);  // still loaded, for the next Zigbee file

    // A P-256 key of another signer: the image's key hash names another key, so it is not
    // used either (the device would not use it); the image's own key verifies it.
    ASSERT_EQ(controller->setVerificationKeys({data("zigbee/keys/cs2_public.pem"), data("mcuboot/test-keys/ecdsa-p256-other.pub.pem")}), 2);
    EXPECT_EQ(summary->signatureBadge()->state(), CheckState::Unchecked) << text(summary->signatureBadge()->detailText());
    EXPECT_TRUE(summary->signatureBadge()->detailText().contains(QStringLiteral("key hash names another")))
        << text(summary->signatureBadge()->detailText());
    ASSERT_EQ(controller->setVerificationKeys({data("zigbee/keys/cs2_public.pem"), data("mcuboot/test-keys/ecdsa-p256.pub.pem")}), 2);
    EXPECT_EQ(summary->signatureBadge()->state(), CheckState::Valid) << text(summary->signatureBadge()->detailText());
    EXPECT_TRUE(summary->detailsText().contains(QStringLiteral("signature verified with ecdsa-p256.pub.pem"))) << text(summary->detailsText());
    EXPECT_FALSE(summary->detailsText().contains(QStringLiteral("cs2_public.pem"))) << text(summary->detailsText());

    // A tampered signature checked with the key it names is still invalid.
    ASSERT_EQ(controller->setVerificationKeys({data("mcuboot/test-keys/ed25519.pub.pem")}), 1);
    ASSERT_TRUE(controller->open(data("mcuboot/malformed/tampered-signature.bin")));
    EXPECT_EQ(summary->signatureBadge()->state(), CheckState::Invalid) << text(summary->signatureBadge()->detailText());
}

TEST(GuiImageInspectorKeys, AnUnsignedFileIsNeverShownAsVerifiedWithAKey)
{
    otalab::testing::ensureApp();
    ImageInspectorPanel panel;
    auto* controller = panel.controller();
    ASSERT_EQ(controller->setVerificationKeys({data("mcuboot/test-keys/ecdsa-p256.pub.pem")}), 1);
    ASSERT_TRUE(controller->open(data("mcuboot/imgtool/unsigned.bin")));
    EXPECT_EQ(panel.summaryView()->signatureBadge()->state(), CheckState::Absent);
    EXPECT_FALSE(panel.summaryView()->detailsText().contains(QStringLiteral("verified"))) << text(panel.summaryView()->detailsText());
    EXPECT_TRUE(panel.summaryView()->detailsText().contains(QStringLiteral("unsigned: no key used"))) << text(panel.summaryView()->detailsText());

    ASSERT_TRUE(controller->open(data("zigbee/good/minimal.ota")));
    EXPECT_FALSE(panel.summaryView()->detailsText().contains(QStringLiteral("verified"))) << text(panel.summaryView()->detailsText());
}

TEST(GuiImageInspectorKeys, OpeningAnImageBringsTheInspectorInFrontOfTheTabBeforeIt)
{
    otalab::testing::ensureApp();
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
    otalab::app::MainWindow window;
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ImageInspectorPanel* inspector = window.imageInspector();
    // Another panel in front of the inspector (the default layout puts the scenario there).
    QDockWidget* own = nullptr;
    for (QWidget* w = inspector->parentWidget(); w && !own; w = w->parentWidget())
        own = qobject_cast<QDockWidget*>(w);
    if (own && !window.tabifiedDockWidgets(own).isEmpty())
        window.tabifiedDockWidgets(own).front()->raise();
    QCoreApplication::processEvents();
    ASSERT_FALSE(inspector->isVisible()) << "the test needs the inspector behind another tab";

    // The path File → Open image… takes after its dialog (and recent files, drops).
    ASSERT_TRUE(inspector->controller()->open(data("mcuboot/imgtool/ecdsa-p256.bin")));
    EXPECT_TRUE(QTest::qWaitFor([&] { return inspector->isVisible(); }, 5000));
    EXPECT_FALSE(inspector->visibleRegion().isEmpty());
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
}
