// SPDX-License-Identifier: Apache-2.0
// LabSession: sliced runs on the worker thread, pause/step/restart, kept runs, errors.
#include "app/gui/lab/labrecorder.h"
#include "app/gui/lab/labsession.h"
#include "gui_test_support.h"
#include "sim/zigbee/rollout.h"
#include "sim/scenario/scenarioloader.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTest>

using otalab::app::LabNodeState;
using otalab::app::LabSession;

namespace {

constexpr int kRunTimeoutMs = 120'000;
const QString kStarter = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json");

otalab::sim::RolloutConfig starter()
{
    auto config = otalab::sim::loadScenarioFile(kStarter);
    if (!config)
        ADD_FAILURE() << config.error().toString().toStdString();
    return config ? *config : otalab::sim::RolloutConfig{};
}

bool waitForState(LabSession& session, LabSession::RunState state, int timeoutMs = kRunTimeoutMs)
{
    return QTest::qWaitFor([&] { return session.state() == state; }, timeoutMs);
}

// load() and wait until the topology is known.
bool loadAndWait(LabSession& session, const otalab::sim::RolloutConfig& config)
{
    session.load(config, QFileInfo(kStarter).absolutePath());
    return waitForState(session, LabSession::RunState::Ready, 30'000);
}

} // namespace

TEST(GuiLabSession, StateNamesColoursAndDerivation)
{
    otalab::testing::ensureApp();
    using otalab::app::labNodeStateColor;
    for (int a = 0; a < otalab::app::kLabNodeStateCount; ++a) {
        EXPECT_FALSE(otalab::app::labNodeStateName(LabNodeState(a)).isEmpty());
        for (int b = a + 1; b < otalab::app::kLabNodeStateCount; ++b)
            EXPECT_NE(labNodeStateColor(LabNodeState(a)), labNodeStateColor(LabNodeState(b))) << a << " " << b;
    }

    // The derivation now lives in the family: the Zigbee fleet's machine descriptions map
    // its states onto campaign phases, and the lab takes them from the loaded topology.
    LabSession session;
    ASSERT_TRUE(loadAndWait(session, starter()));
    const auto& topology = session.topology();
    ASSERT_EQ(topology.fleets.size(), 1u);
    EXPECT_EQ(topology.fleets[0].family, QStringLiteral("zigbee"));
    auto phaseOf = [&](const QString& machineName, int state) {
        for (const auto& m : topology.fleets[0].machines)
            if (m.name == machineName) {
                EXPECT_EQ(m.phaseOfState.size(), std::size_t(m.states.size())) << machineName.toStdString();
                return state < int(m.phaseOfState.size()) ? m.phaseOfState[std::size_t(state)] : LabNodeState::Idle;
            }
        ADD_FAILURE() << "no machine " << machineName.toStdString();
        return LabNodeState::Idle;
    };
    const QString status = QStringLiteral("ImageUpgradeStatus");
    const QString progress = QStringLiteral("Rollout progress");
    EXPECT_EQ(phaseOf(status, 0), LabNodeState::Waiting);         // Normal
    EXPECT_EQ(phaseOf(status, 1), LabNodeState::Downloading);     // DownloadInProgress
    EXPECT_EQ(phaseOf(status, 2), LabNodeState::Verifying);       // DownloadComplete
    EXPECT_EQ(phaseOf(status, 3), LabNodeState::WaitingToApply);  // WaitingToUpgrade
    EXPECT_EQ(phaseOf(status, 4), LabNodeState::WaitingToApply);  // CountDown
    EXPECT_EQ(phaseOf(progress, 0), LabNodeState::Waiting);       // Idle
    EXPECT_EQ(phaseOf(progress, 1), LabNodeState::Downloading);
    EXPECT_EQ(phaseOf(progress, 2), LabNodeState::Upgraded);
    EXPECT_EQ(phaseOf(progress, 3), LabNodeState::Failed);
    EXPECT_EQ(phaseOf(progress, 4), LabNodeState::Refused);
    // A node without a client takes no part in the campaign.
    ASSERT_FALSE(topology.nodes.empty());
    EXPECT_FALSE(topology.nodes[0].hasClient);
    EXPECT_EQ(session.latest().nodes.empty() ? LabNodeState::Idle : session.latest().nodes[0].state, LabNodeState::Idle);
}

TEST(GuiLabSession, HistoryKeepsOrderAndEvictsOldRows)
{
    using namespace otalab::app;
    LabHistory history(3);
    history.reset(2);
    LabHistoryDelta delta;
    delta.transitions = {{0.0, 1, LabNodeState::Waiting}, {5.0, 1, LabNodeState::Downloading}, {1.0, 7, LabNodeState::Failed}};
    for (int i = 0; i < 5; ++i)
        delta.logRows.push_back(LabLogRow{.timeNs = i});
    history.append(std::move(delta));
    EXPECT_EQ(history.stateAt(1, -1.0), LabNodeState::Idle);
    EXPECT_EQ(history.stateAt(1, 0.0), LabNodeState::Waiting);
    EXPECT_EQ(history.stateAt(1, 4.9), LabNodeState::Waiting);
    EXPECT_EQ(history.stateAt(1, 5.0), LabNodeState::Downloading);
    EXPECT_EQ(history.stateAt(7, 5.0), LabNodeState::Idle);  // out of range: ignored
    EXPECT_EQ(history.firstLogRow(), 2u);
    EXPECT_EQ(history.endLogRow(), 5u);
    EXPECT_EQ(history.logRow(2).timeNs, 2);
    LabHistoryDelta more;
    more.logRows.push_back(LabLogRow{.timeNs = 5});
    history.append(std::move(more));
    EXPECT_EQ(history.firstLogRow(), 3u);
    EXPECT_EQ(history.logRow(5).timeNs, 5);
}

TEST(GuiLabSession, ClassifiesOtaFramesAndPolls)
{
    using otalab::app::classifyLabFrame;
    // MAC data | NWK data | APS data cluster 0x0019 | ZCL cluster-specific cmd 0x03 | FCS
    std::vector<std::uint8_t> frame = {0x41, 0x88, 0x01, 0x62, 0x1A, 0x00, 0x00, 0x01, 0x00,  // MAC
                                       0x08, 0x00, 0x00, 0x00, 0x05, 0x00, 0x1E, 0x01,        // NWK
                                       0x00, 0x01, 0x19, 0x00, 0x04, 0x01, 0x01, 0x07,        // APS
                                       0x01, 0x2A, 0x03, 0x00, 0xAA, 0xBB};                   // ZCL + FCS
    auto info = classifyLabFrame(frame);
    EXPECT_TRUE(info.ota);
    EXPECT_EQ(info.macType, 1);
    EXPECT_EQ(info.zclCommand, 0x03);
    frame[19] = 0x06;  // another cluster
    EXPECT_FALSE(classifyLabFrame(frame).ota);
    const std::vector<std::uint8_t> ack = {0x02, 0x00, 0x11, 0x22, 0x33};
    EXPECT_EQ(classifyLabFrame(ack).macType, 2);
    const std::vector<std::uint8_t> poll = {0x63, 0x88, 0x01, 0x62, 0x1A, 0x00, 0x00, 0x05, 0x00, 0x04, 0x12, 0x34};
    EXPECT_TRUE(classifyLabFrame(poll).dataRequest);
    EXPECT_FALSE(classifyLabFrame(std::vector<std::uint8_t>{0x41}).ota);
}

TEST(GuiLabSession, RunsTheStarterToTheEndWithEveryClientUpgraded)
{
    otalab::testing::ensureApp();
    const auto config = starter();
    LabSession session;
    QSignalSpy finished(&session, &LabSession::runFinished);
    ASSERT_TRUE(loadAndWait(session, config));
    ASSERT_EQ(session.topology().nodes.size(), 7u);
    EXPECT_EQ(session.topology().scenarioName, QStringLiteral("starter"));
    EXPECT_FALSE(session.topology().nodes[0].hasClient);
    EXPECT_EQ(session.topology().nodes[0].role, QStringLiteral("coordinator"));
    EXPECT_EQ(session.topology().imageBytes > 131072u, true);

    session.run();
    EXPECT_EQ(session.state(), LabSession::RunState::Running);
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Finished));
    EXPECT_EQ(finished.count(), 1);
    const auto& latest = session.latest();
    EXPECT_TRUE(latest.finished);
    EXPECT_EQ(latest.stopReason, QStringLiteral("all devices finished"));
    EXPECT_EQ(latest.clients, 5);
    EXPECT_EQ(latest.upgraded, 5);
    EXPECT_FALSE(latest.samples.empty());
    int clients = 0;
    for (const auto& info : session.topology().nodes) {
        if (!info.hasClient)
            continue;
        ++clients;
        EXPECT_EQ(latest.nodes[info.node].state, LabNodeState::Upgraded) << info.node;
        EXPECT_EQ(latest.nodes[info.node].bytesReceived, session.topology().imageBytes);
        EXPECT_GT(latest.nodes[info.node].energyJ, 0.0);
        EXPECT_EQ(session.history().stateAt(info.node, latest.timeS), LabNodeState::Upgraded) << info.node;
        EXPECT_EQ(session.history().stateAt(info.node, 0.0), LabNodeState::Waiting);
        // Waiting → Downloading → Verifying / Waiting to apply → Upgraded at least.
        EXPECT_GE(session.history().transitionsOf(info.node).size(), 4u);
    }
    EXPECT_EQ(clients, 5);
    EXPECT_GT(session.history().endLogRow(), 1000u);  // OTA frames and state changes

    // The same run as the CLI's (sliced runs execute the same events).
    ASSERT_EQ(session.keptRuns().size(), 1u);
    const auto cli = otalab::sim::runRollout(config);
    ASSERT_TRUE(cli.has_value());
    EXPECT_EQ(session.keptRuns()[0].result.traceFingerprint, cli->traceFingerprint);
    EXPECT_EQ(session.keptRuns()[0].result.eventsExecuted, cli->eventsExecuted);
    EXPECT_EQ(session.keptRuns()[0].label, QStringLiteral("starter seed 1 #1"));
}

TEST(GuiLabSession, PauseStopsVirtualTimeAndStepExecutesOneEvent)
{
    otalab::testing::ensureApp();
    LabSession session;
    ASSERT_TRUE(loadAndWait(session, starter()));
    session.setSpeed(100);  // slow enough to still be running when paused
    session.run();
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.latest().timeS > 5.0; }, 30'000));
    session.pause();
    EXPECT_EQ(session.state(), LabSession::RunState::Paused);
    // The worker's answer to the pause: every publication before it has arrived.
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.commandAnswered(); }, 30'000));
    const double pausedAt = session.latest().timeS;
    const auto events = session.latest().eventsExecuted;
    QTest::qWait(300);
    EXPECT_EQ(session.latest().timeS, pausedAt);
    EXPECT_EQ(session.latest().eventsExecuted, events);
    EXPECT_EQ(session.state(), LabSession::RunState::Paused);

    QSignalSpy published(&session, &LabSession::snapshotPublished);
    session.step();
    ASSERT_TRUE(published.wait(30'000));
    EXPECT_EQ(session.latest().eventsExecuted, events + 1);
    EXPECT_EQ(session.state(), LabSession::RunState::Paused);
    session.step();
    ASSERT_TRUE(published.wait(30'000));
    EXPECT_EQ(session.latest().eventsExecuted, events + 2);

    // runTo stops at the time asked for.
    session.setSpeed(LabSession::kAsFastAsPossible);
    session.runTo(600.0);
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Paused));
    EXPECT_DOUBLE_EQ(session.latest().timeS, 600.0);
}

TEST(GuiLabSession, RestartReproducesTheRunAndKeepsBoth)
{
    otalab::testing::ensureApp();
    LabSession session;
    QSignalSpy kept(&session, &LabSession::keptRunsChanged);
    ASSERT_TRUE(loadAndWait(session, starter()));
    session.run();
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Finished));
    const double endTime = session.latest().timeS;

    QSignalSpy topology(&session, &LabSession::topologyChanged);
    session.restart();
    session.run();  // while it rebuilds: runs once built
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Finished));
    EXPECT_EQ(topology.count(), 1);
    EXPECT_EQ(session.latest().timeS, endTime);
    ASSERT_EQ(session.keptRuns().size(), 2u);
    EXPECT_EQ(kept.count(), 2);
    EXPECT_NE(session.keptRuns()[0].result.traceFingerprint, 0u);
    EXPECT_EQ(session.keptRuns()[0].result.traceFingerprint, session.keptRuns()[1].result.traceFingerprint);
    EXPECT_EQ(session.keptRuns()[1].label, QStringLiteral("starter seed 1 #2"));
    const auto current = session.currentResult();
    ASSERT_TRUE(current.has_value());
    EXPECT_EQ(current->count(otalab::sim::DeviceOutcome::Upgraded), 5);
    session.clearKeptRuns();
    EXPECT_TRUE(session.keptRuns().empty());
}

TEST(GuiLabSession, BadImagePathIsAnErrorNotACrash)
{
    otalab::testing::ensureApp();
    auto config = starter();
    config.images[0].path = QStringLiteral("/nonexistent/firmware.ota");
    LabSession session;
    QSignalSpy errors(&session, &LabSession::errorOccurred);
    session.load(config);
    ASSERT_TRUE(errors.wait(30'000));
    EXPECT_EQ(session.state(), LabSession::RunState::Error);
    EXPECT_TRUE(errors.at(0).at(0).toString().contains(QStringLiteral("images[0]"))) << errors.at(0).at(0).toString().toStdString();
    session.run();  // ignored
    EXPECT_EQ(session.state(), LabSession::RunState::Error);
    EXPECT_FALSE(session.currentResult().has_value());
}

TEST(GuiLabSession, DestroyingARunningSessionStopsTheThread)
{
    otalab::testing::ensureApp();
    auto config = otalab::sim::loadScenarioFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/campus.json"));
    ASSERT_TRUE(config.has_value());
    QElapsedTimer timer;
    {
        LabSession session;
        // 60× real time: the whole run (14.6 h virtual) would take ~15 min, so a destructor
        // that waited for the run instead of stopping it could not pass the bound below,
        // while a loaded machine stays far inside it.
        session.setSpeed(60);
        session.load(*config, QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios"));
        session.run();
        ASSERT_TRUE(QTest::qWaitFor([&] { return session.latest().eventsExecuted > 0; }, 60'000));
        timer.start();
    }
    EXPECT_LT(timer.elapsed(), 60'000);
}
