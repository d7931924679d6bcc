// SPDX-License-Identifier: Apache-2.0
// Zigbee fleet attacks: a tampered image reaches two devices; their client's end-of-download
// check refuses it (INVALID_IMAGE, the integrity code), they keep their version, the rest
// upgrades. Unstaged attack kinds are refused before the run.
#include "zigbee_faults_test_support.h"

using namespace otalab::sim;
using namespace otalab::test::zigbeefaults;

TEST(ZigbeeAttacks, TamperedImageIsRefusedByTheClientsIntegrityCheck)
{
    faults::FaultsConfig f;
    faults::AttackSpec a;
    a.kind = faults::AttackKind::TamperedImage;
    a.select.devices = {1, 4};
    f.attacks.push_back(a);
    ZigbeeFaultRun run(smallZigbee(), f);
    ASSERT_TRUE(run.run());
    ASSERT_EQ(run.result.attacks.size(), 2u);
    EXPECT_EQ(run.result.attacksAccepted(), 0);
    for (const AttackResult& r : run.result.attacks) {
        ASSERT_TRUE(r.atS.has_value());
        EXPECT_FALSE(r.accepted);
        EXPECT_TRUE(r.reason.contains(QStringLiteral("INVALID_IMAGE"))) << r.reason.toStdString();
        EXPECT_TRUE(r.reason.contains(QStringLiteral("keeps running 0x"))) << r.reason.toStdString();
    }
    for (std::size_t i : {1u, 4u}) {
        EXPECT_EQ(run.device(i).outcome, DeviceOutcome::Failed) << i;
        EXPECT_EQ(run.device(i).versionAfter, run.device(i).versionBefore) << i;
    }
    EXPECT_EQ(run.result.count(DeviceOutcome::Upgraded), 4);
}

TEST(ZigbeeAttacks, WithoutAnIntegrityCodeTheTamperedImageIsAcceptedAndReported)
{
    RolloutConfig c = smallZigbee();
    c.images.front().integrityCode = false;
    faults::FaultsConfig f;
    faults::AttackSpec a;
    a.kind = faults::AttackKind::TamperedImage;
    a.select.devices = {0};
    f.attacks.push_back(a);
    ZigbeeFaultRun run(c, f);
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.result.attacksAccepted(), 1);
}

TEST(ZigbeeAttacks, UnstagedAttackKindsAreRefusedBeforeTheRun)
{
    faults::FaultsConfig f;
    faults::AttackSpec a;
    a.kind = faults::AttackKind::WrongKey;
    f.attacks.push_back(a);
    ZigbeeFaultRun run(smallZigbee(), f);
    EXPECT_FALSE(run.m_run);
    EXPECT_TRUE(run.buildError.contains(QStringLiteral("wrongKey"))) << run.buildError.toStdString();
}

TEST(ZigbeeAttacks, ForgedDowngradeAndReplayOffersAreRefusedByTheClientsOfferChecks)
{
    RolloutConfig c = smallZigbee();
    c.client.disableDowngrades = true;
    c.client.ignoreSameVersionOffer = true;
    faults::FaultsConfig f;
    faults::AttackSpec down;
    down.kind = faults::AttackKind::Downgrade;
    down.select.devices = {0};
    faults::AttackSpec replay;
    replay.kind = faults::AttackKind::Replay;
    replay.select.devices = {2};
    f.attacks = {down, replay};
    ZigbeeFaultRun run(c, f);
    ASSERT_TRUE(run.run());
    ASSERT_EQ(run.result.attacks.size(), 2u);
    EXPECT_EQ(run.result.attacksAccepted(), 0);
    EXPECT_TRUE(run.result.attacks[0].reason.contains(QStringLiteral("OTA downgrades disabled"))) << run.result.attacks[0].reason.toStdString();
    EXPECT_TRUE(run.result.attacks[1].reason.contains(QStringLiteral("same FileVersion as currently installed")))
        << run.result.attacks[1].reason.toStdString();
    for (const AttackResult& a : run.result.attacks)
        EXPECT_TRUE(a.reason.contains(QStringLiteral("keeps running 0x00000001"))) << a.reason.toStdString();
    // The forged answer replaced one query's: the next query reaches the real server.
    EXPECT_EQ(run.result.count(DeviceOutcome::Upgraded), 6);
}

TEST(ZigbeeAttacks, AClientWithoutOfferChecksTakesTheForgedDowngradeAndItIsReported)
{
    faults::FaultsConfig f;
    faults::AttackSpec down;
    down.kind = faults::AttackKind::Downgrade;
    down.select.devices = {0};
    f.attacks = {down};
    ZigbeeFaultRun run(smallZigbee(), f);
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.result.attacksAccepted(), 1);
    EXPECT_TRUE(run.result.attacks[0].reason.contains(QStringLiteral("began downloading it"))) << run.result.attacks[0].reason.toStdString();
}
