// SPDX-License-Identifier: Apache-2.0
// SMP fleet attacks: a tampered image, a downgrade, a replayed previous image — each pushed
// to some boards, each refused by MCUboot at the test boot with its words; the rest of the
// fleet upgrades. Without MCUBOOT_DOWNGRADE_PREVENTION the downgrade gets in, and the log
// says so.
#include "smp_faults_test_support.h"

using namespace otalab::sim;
using namespace otalab::test::smpfaults;
using otalab::test::smpfleet::smallUdp;

TEST(SmpAttacks, TamperedDowngradeAndReplayAreRefusedAtTheTestBootAndTheBoardsKeepTheirImage)
{
    SmpFleetConfig fleet = smallUdp(6);
    fleet.boards.device.boot.downgradePrevention = true;
    faults::FaultsConfig f;
    f.attacks = {attack(faults::AttackKind::TamperedImage, {0}), attack(faults::AttackKind::Downgrade, {1}),
                 attack(faults::AttackKind::Replay, {2})};
    SmpFaultRun run(fleet, f);
    ASSERT_TRUE(run.run());
    ASSERT_EQ(run.result.attacks.size(), 3u);
    EXPECT_EQ(run.result.attacksAccepted(), 0);
    const char* words[] = {"not valid", "downgrade prevention", "downgrade prevention"};
    for (std::size_t i = 0; i < 3; ++i) {
        const AttackResult& a = run.result.attacks[i];
        ASSERT_TRUE(a.atS.has_value()) << i;
        EXPECT_FALSE(a.accepted) << i;
        EXPECT_TRUE(a.reason.contains(QString::fromLatin1(words[i]))) << a.reason.toStdString();
        EXPECT_TRUE(a.reason.contains(QStringLiteral("keeps running 1.0.0"))) << a.reason.toStdString();
        EXPECT_EQ(run.device(i).versionAfter, QStringLiteral("1.0.0")) << i;
    }
    for (std::size_t i = 3; i < 6; ++i)
        EXPECT_EQ(run.device(i).outcome, DeviceOutcome::Upgraded) << i;
}

TEST(SmpAttacks, WithoutDowngradePreventionTheDowngradeIsAcceptedAndReportedAsAFinding)
{
    faults::FaultsConfig f;
    f.attacks = {attack(faults::AttackKind::Downgrade, {0})};
    SmpFaultRun run(smallUdp(2), f);
    ASSERT_TRUE(run.run());
    ASSERT_EQ(run.result.attacks.size(), 1u);
    EXPECT_TRUE(run.result.attacks[0].accepted);
    EXPECT_EQ(run.result.attacksAccepted(), 1);
    EXPECT_EQ(run.device(0).versionAfter, QStringLiteral("0.5.0"));
}

TEST(SmpAttacks, ASecondAttackOnTheSameBoardIsNotStagedAndSaysSo)
{
    SmpFleetConfig fleet = smallUdp(2);
    fleet.boards.device.boot.downgradePrevention = true;
    faults::FaultsConfig f;
    f.attacks = {attack(faults::AttackKind::TamperedImage, {0}), attack(faults::AttackKind::Replay, {0})};
    SmpFaultRun run(fleet, f);
    ASSERT_TRUE(run.run());
    ASSERT_EQ(run.result.attacks.size(), 2u);
    EXPECT_TRUE(run.result.attacks[0].atS.has_value());
    EXPECT_TRUE(run.result.attacks[0].reason.contains(QStringLiteral("not valid"))) << run.result.attacks[0].reason.toStdString();
    EXPECT_FALSE(run.result.attacks[1].atS.has_value());
    EXPECT_FALSE(run.result.attacks[1].accepted);
    EXPECT_TRUE(run.result.attacks[1].reason.contains(QStringLiteral("already receives the forged file of tamperedImage")))
        << run.result.attacks[1].reason.toStdString();
}

TEST(SmpAttacks, WithSignedImagesAnImageSignedByAnotherKeyIsRefusedAtTheTestBoot)
{
    SmpFleetConfig fleet = smallUdp(3);
    fleet.boards.signatureKey = QStringLiteral("ed25519");
    faults::FaultsConfig f;
    f.attacks = {attack(faults::AttackKind::WrongKey, {1})};
    SmpFaultRun run(fleet, f);
    ASSERT_TRUE(run.run());
    ASSERT_EQ(run.result.attacks.size(), 1u);
    const AttackResult& a = run.result.attacks[0];
    ASSERT_TRUE(a.atS.has_value());
    EXPECT_FALSE(a.accepted);
    EXPECT_EQ(run.result.attacksAccepted(), 0);
    EXPECT_TRUE(a.reason.startsWith(QStringLiteral("MCUboot: Image in the secondary slot is not valid! (no signature by a trusted key)")))
        << a.reason.toStdString();
    EXPECT_TRUE(a.reason.contains(QStringLiteral("keeps running 1.0.0"))) << a.reason.toStdString();
    EXPECT_EQ(run.device(1).versionAfter, QStringLiteral("1.0.0"));
    // The fleet's own signed images boot: the other boards upgrade.
    EXPECT_EQ(run.device(0).outcome, DeviceOutcome::Upgraded);
    EXPECT_EQ(run.device(2).outcome, DeviceOutcome::Upgraded);
    // The boards trust exactly one key, the fleet's (public part only).
    ASSERT_NE(run.fleet().board(0).device(), nullptr);
    const auto& keys = run.fleet().board(0).device()->board().config().keys;
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_FALSE(keys.front().hasPrivate());
}

TEST(SmpAttacks, WithoutSignedImagesWrongKeyIsRefusedAtArmWithTheReason)
{
    ScenarioConfig s;
    s.name = QStringLiteral("smp-wrongkey-unsigned");
    s.seed = 3;
    s.fleets.push_back(FleetConfig{QStringLiteral("boards"), smallUdp(2)});
    s.faults.attacks = {attack(faults::AttackKind::WrongKey, {0})};
    auto run = FleetRun::build(s);
    ASSERT_FALSE(run.has_value());
    const QString error = run.error().toString();
    EXPECT_TRUE(error.contains(QStringLiteral("cannot stage wrongKey"))) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("verify the SHA-256 TLV only (no signature keys)"))) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("\"signatureKey\": \"ed25519\""))) << error.toStdString();
}

TEST(SmpAttacks, SignedFleetImagesAreTheSameForTheSameSeedAndDifferForAnother)
{
    SmpFleetConfig fleet = smallUdp(1);
    fleet.boards.signatureKey = QStringLiteral("ed25519");
    auto a = SmpFleetImages::build(fleet, QString(), QStringLiteral("fleets[0]"), 7);
    auto b = SmpFleetImages::build(fleet, QString(), QStringLiteral("fleets[0]"), 7);
    auto c = SmpFleetImages::build(fleet, QString(), QStringLiteral("fleets[0]"), 8);
    auto plain = SmpFleetImages::build(smallUdp(1), QString(), QStringLiteral("fleets[0]"), 7);
    ASSERT_TRUE(a && b && c && plain);
    EXPECT_EQ(a->pushed, b->pushed);
    EXPECT_EQ(a->running, b->running);
    EXPECT_NE(a->pushed, c->pushed);
    EXPECT_EQ(a->pushed.size(), plain->pushed.size());   // signing keeps the configured file size
    EXPECT_NE(a->pushed, plain->pushed);
}
