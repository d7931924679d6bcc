// SPDX-License-Identifier: Apache-2.0
// SwUpdateDevice under faults and attacks: refused images (tampered, another key,
// downgrade, lower security counter → result 5 with the reason, the old image keeps
// running), bad URLs (6), unsupported schemes (7), a silent server (4), an image larger
// than the slot (3), power lost mid-download (resume at the stored offset, no stored block
// fetched again), power cut inside the bootloader's swap (MCUboot resumes it), user data
// untouched.
#include "ocf_swupdate_support.h"

namespace otalab::test::ocf {
namespace {

using S = SwUpdateState;

void expectRefused(OcfBench& b, const char* reasonFragment)
{
    EXPECT_EQ(b.device->resource().state, S::Idle);
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::SvvFail);
    ASSERT_FALSE(b.refused.empty());
    EXPECT_TRUE(b.refused.back().reason.contains(QLatin1String(reasonFragment))) << b.refused.back().reason.toStdString();
    EXPECT_TRUE(b.states.back().why.contains(QLatin1String(reasonFragment)));
    EXPECT_FALSE(b.rebootPending);
    EXPECT_EQ(b.platform.storedBytes(), 0u);   // the slot is erased
    EXPECT_EQ(b.platform.runningVersion(), QStringLiteral("1.0.0"));
}

TEST(OcfSwUpdateFaults, TamperedImageIsRefused)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    b.image[600] = char(b.image[600] ^ 0x40);
    b.post(SwUpdateAction::Upgrade);
    b.run();
    expectRefused(b, "SHA256");
}

TEST(OcfSwUpdateFaults, ImageSignedWithAnotherKeyIsRefused)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2, otherKey());
    b.post(SwUpdateAction::Upgrade);
    b.run();
    expectRefused(b, "trusted key");
}

TEST(OcfSwUpdateFaults, DowngradeIsRefused)
{
    OcfBench b(makeOcfImage("1.0.0", 1));
    b.image = makeOcfImage("0.9.0", 1);
    b.post(SwUpdateAction::Isvv);
    b.run();
    expectRefused(b, "downgrade");
}

TEST(OcfSwUpdateFaults, LowerSecurityCounterIsRefused)
{
    OcfBench b(makeOcfImage("1.0.0", 5));
    b.image = makeOcfImage("2.0.0", 4);   // newer version, replayed older counter
    b.post(SwUpdateAction::Upgrade);
    b.run();
    expectRefused(b, "security counter 4");
}

TEST(OcfSwUpdateFaults, UrlErrorsGiveResults6And7)
{
    OcfBench b;
    b.post(SwUpdateAction::Isvv, QStringLiteral("now"), QStringLiteral("https://fw.example/image.bin"));
    b.run();
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::UnsupportedProtocol);
    EXPECT_EQ(b.device->resource().state, S::Idle);
    b.post(SwUpdateAction::Isvv, QStringLiteral("now"), QStringLiteral("coap//fw.example"));
    b.run();
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::InvalidUrl);
    EXPECT_TRUE(b.states.back().why.contains(QLatin1String("scheme")));
    b.post(SwUpdateAction::Isac, QStringLiteral("now"), QStringLiteral("coap://[fd00::1/fw"));
    b.run();
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::InvalidUrl);
}

TEST(OcfSwUpdateFaults, SilentServerIsConnectionFail)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    b.serverSilent = true;
    const qint64 start = b.now;
    b.post(SwUpdateAction::Isvv);
    b.run();
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::ConnectionFail);
    EXPECT_EQ(b.device->resource().state, S::Idle);
    EXPECT_TRUE(b.states.back().why.contains(QLatin1String("no answer after 4 retransmissions")));
    // RFC 7252 §4.2: 2 + 4 + 8 + 16 + 32 s (× the random factor ≥ 1).
    EXPECT_GE(b.now - start, 62'000);
    EXPECT_LE(b.now - start, 93'000);
}

TEST(OcfSwUpdateFaults, MissingPackageIsConnectionFail)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    b.post(SwUpdateAction::Isvv, QStringLiteral("now"), QStringLiteral("coap://fw.example/fw/other.bin"));
    b.run();
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::ConnectionFail);
    EXPECT_TRUE(b.states.back().why.contains(QLatin1String("4.04")));
}

TEST(OcfSwUpdateFaults, ImageLargerThanTheSlotIsLessFlash)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2, signerKey(), 40'000);
    b.post(SwUpdateAction::Isvv);
    b.run();
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::LessFlash);
    EXPECT_EQ(b.blocksServed.size(), 1u);   // refused at block 0 from Size2
}

TEST(OcfSwUpdateFaults, PowerLossMidDownloadResumesAtTheStoredOffset)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    const int blocks = int((b.image.size() + 1023) / 1024);
    // The slot erase takes 32 sector operations; then 5 blocks are written, the 6th write fails.
    b.loader.flash().cutPowerAfterOperations(32 + 5);
    b.post(SwUpdateAction::Upgrade);
    b.run();
    ASSERT_FALSE(b.rebootPending);
    EXPECT_EQ(b.platform.storedBytes(), 5u * 1024);
    EXPECT_EQ(b.device->resource().state, S::Svv);
    const std::size_t servedBefore = b.blocksServed.size();
    EXPECT_EQ(servedBefore, 6u);
    b.restart();
    b.run();
    ASSERT_TRUE(b.rebootPending);
    // After the boot the download went on at block 5 (the one whose write was lost):
    std::vector<std::uint32_t> after(b.blocksServed.begin() + std::ptrdiff_t(servedBefore), b.blocksServed.end());
    ASSERT_FALSE(after.empty());
    EXPECT_EQ(after.front(), 5u);
    EXPECT_EQ(after.size(), std::size_t(blocks - 5));   // blocks 0..4 were not fetched again
    b.restart();
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::Success);
    EXPECT_EQ(b.platform.runningVersion(), QStringLiteral("2.0.0"));
}

TEST(OcfSwUpdateFaults, PowerCutDuringTheSwapIsResumedByTheBootloader)
{
    OcfBench b;
    const QString userData = b.platform.userDataChecksum();
    b.image = makeOcfImage("2.0.0", 2);
    b.post(SwUpdateAction::Upgrade);
    b.run();
    ASSERT_TRUE(b.rebootPending);
    b.loader.powerCutAfterSectors(3);   // the swap stops after 3 sector steps
    b.rebootPending = false;
    b.loader.flash().powerOn();
    const auto cut = b.loader.reboot();
    EXPECT_TRUE(cut.powerLost);
    EXPECT_FALSE(cut.booted);
    const auto boot = b.restart();   // power back: MCUboot finishes the swap
    EXPECT_TRUE(boot.booted);
    EXPECT_TRUE(boot.resumed);
    EXPECT_EQ(b.platform.runningVersion(), QStringLiteral("2.0.0"));
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::Success);
    EXPECT_EQ(b.platform.userDataChecksum(), userData);
}

TEST(OcfSwUpdateFaults, UnconfirmedImageRevertsToUpgradeFail)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    b.post(SwUpdateAction::Upgrade);
    b.run();
    ASSERT_TRUE(b.rebootPending);
    // The new image boots but never confirms (it crashes before): the next reset reverts.
    b.rebootPending = false;
    b.loader.flash().powerOn();
    ASSERT_TRUE(b.loader.reboot().booted);   // runs 2.0.0 unconfirmed, then resets
    const auto revert = b.restart();
    EXPECT_EQ(revert.swapType, mcuboot::SwapType::Revert);
    EXPECT_EQ(b.platform.runningVersion(), QStringLiteral("1.0.0"));
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::UpgradeFail);
    EXPECT_EQ(b.device->resource().state, S::Idle);
}

} // namespace
} // namespace otalab::test::ocf
