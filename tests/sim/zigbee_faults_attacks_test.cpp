// SPDX-License-Identifier: Apache-2.0
// Zigbee fleet attacks: a tampered image reaches two devices; their client's end-of-download
// check refuses it (INVALID_IMAGE, the integrity code), they keep their version, the rest
// upgrades. An image signed by another key is refused by clients that require the fleet's
// signer (client requireSignature). Unstaged attack kinds are refused before the run.
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
    a.kind = faults::AttackKind::ForgedFragment;
    f.attacks.push_back(a);
    ZigbeeFaultRun run(smallZigbee(), f);
    EXPECT_FALSE(run.m_run);
    EXPECT_TRUE(run.buildError.contains(QStringLiteral("forgedFragment"))) << run.buildError.toStdString();
}

namespace {

faults::FaultsConfig wrongKeyOn(std::vector<int> devices)
{
    faults::FaultsConfig f;
    faults::AttackSpec a;
    a.kind = faults::AttackKind::WrongKey;
    a.select.devices = std::move(devices);
    f.attacks.push_back(a);
    return f;
}

} // namespace

TEST(ZigbeeAttacks, AnImageSignedByAnotherKeyIsRefusedByAClientThatRequiresTheFleetsSigner)
{
    RolloutConfig c = smallZigbee();
    c.client.requireSignature = true;
    ZigbeeFaultRun run(c, wrongKeyOn({1, 4}));
    ASSERT_TRUE(run.run()) << run.buildError.toStdString();
    ASSERT_EQ(run.result.attacks.size(), 2u);
    EXPECT_EQ(run.result.attacksAccepted(), 0);
    for (const AttackResult& r : run.result.attacks) {
        ASSERT_TRUE(r.atS.has_value());
        EXPECT_FALSE(r.accepted);
        // The core verifier's reason (core/zigbee verifyDownloadedImage) as the client gives it.
        EXPECT_TRUE(r.reason.contains(QStringLiteral("INVALID_IMAGE: signature not verified (invalid): signature does not match key")))
            << r.reason.toStdString();
        EXPECT_TRUE(r.reason.contains(QStringLiteral("keeps running 0x00000001"))) << r.reason.toStdString();
    }
    for (std::size_t i : {1u, 4u}) {
        EXPECT_EQ(run.device(i).outcome, DeviceOutcome::Failed) << i;
        EXPECT_EQ(run.device(i).versionAfter, run.device(i).versionBefore) << i;
    }
    // The fleet's own signed image verifies: the others upgrade.
    EXPECT_EQ(run.result.count(DeviceOutcome::Upgraded), 4);
}

TEST(ZigbeeAttacks, WithoutRequireSignatureTheWrongKeyImageIsAcceptedAndReported)
{
    ZigbeeFaultRun run(smallZigbee(), wrongKeyOn({0}));
    ASSERT_TRUE(run.run()) << run.buildError.toStdString();
    ASSERT_EQ(run.result.attacks.size(), 1u);
    EXPECT_EQ(run.result.attacksAccepted(), 1);
    EXPECT_TRUE(run.result.attacks[0].accepted);
    EXPECT_TRUE(run.result.attacks[0].reason.contains(QStringLiteral("signed by the attacker's key")))
        << run.result.attacks[0].reason.toStdString();
    EXPECT_EQ(run.device(0).outcome, DeviceOutcome::Upgraded);
}

TEST(ZigbeeAttacks, SignedFleetsRunTheSameTwice)
{
    RolloutConfig c = smallZigbee();
    c.client.requireSignature = true;
    ZigbeeFaultRun a(c, wrongKeyOn({1}));
    ZigbeeFaultRun b(c, wrongKeyOn({1}));
    ASSERT_TRUE(a.run());
    ASSERT_TRUE(b.run());
    EXPECT_NE(a.fingerprint(), 0u);
    EXPECT_EQ(a.fingerprint(), b.fingerprint());
    EXPECT_EQ(a.result.attacks[0].reason, b.result.attacks[0].reason);
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
