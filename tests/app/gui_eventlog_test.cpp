// SPDX-License-Identifier: Apache-2.0
// Event log: cell text, lazy appends and eviction, filters, selection links, 1,000,000 rows.
#include "gui_test_support.h"
#include "gui_timeline_test_data.h"

#include "eventlog/eventlogcontroller.h"
#include "eventlog/eventlogfilter.h"
#include "eventlog/eventlogformat.h"
#include "eventlog/eventlogmodel.h"
#include "eventlog/eventlogpanel.h"
#include "lab/labselection.h"
#include "lab/labsession.h"
#include "sim/kernel/observerrecords.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

namespace otalab::app {
namespace {

using testing::ensureApp;

LabLogRow frameRow(std::int64_t timeNs, sim::NodeId src, sim::NodeId dst, std::uint8_t command,
                   sim::FrameFate fate = sim::FrameFate::Transmitted, std::uint8_t length = 54)
{
    LabLogRow row;
    row.timeNs = timeNs;
    row.kind = LabLogRow::Kind::Frame;
    row.src = src;
    row.dst = dst;
    row.zclCommand = command;
    row.macType = 1;
    row.length = length;
    row.fate = std::uint8_t(fate);
    return row;
}

LabLogRow stateRow(std::int64_t timeNs, sim::NodeId node, std::uint16_t machine, std::uint16_t from, std::uint16_t to)
{
    LabLogRow row;
    row.timeNs = timeNs;
    row.kind = LabLogRow::Kind::StateChange;
    row.src = node;
    row.machine = machine;
    row.from = from;
    row.to = to;
    return row;
}

// `count` rows at 1 ms spacing starting at row `first`: frames between node (k % nodes)
// and the coordinator, every 5th a state change; commands cycle through block
// request/response and query.
std::vector<LabLogRow> makeRows(std::size_t first, std::size_t count, int nodes)
{
    std::vector<LabLogRow> rows;
    rows.reserve(count);
    static constexpr std::uint8_t kCommands[] = {0x03, 0x05, 0x01, 0x02, 0xFF};
    for (std::size_t k = first; k < first + count; ++k) {
        const auto node = sim::NodeId(1 + k % std::size_t(nodes - 1));
        const auto t = std::int64_t(k) * 1'000'000;
        if (k % 5 == 4)
            rows.push_back(stateRow(t, node, 16, 0, 1));
        else if (k % 2)
            rows.push_back(frameRow(t, node, 0, kCommands[k % 5], sim::FrameFate(k % 3 == 0 ? 2 : 0)));
        else
            rows.push_back(frameRow(t, 0, node, kCommands[k % 5]));
    }
    return rows;
}

LabTopology makeTopology(int nodes)
{
    LabTopology topology;
    for (int i = 0; i < nodes; ++i) {
        LabNodeInfo info;
        info.node = sim::NodeId(i);
        info.name = QStringLiteral("0x%1").arg(i == 0 ? 0 : 0x1A00 + i, 4, 16, QLatin1Char('0'));
        info.hasClient = i != 0;
        topology.nodes.push_back(info);
    }
    return topology;
}

void appendRows(LabHistory& history, std::vector<LabLogRow> rows)
{
    LabHistoryDelta delta;
    delta.logRows = std::move(rows);
    history.append(std::move(delta));
}

TEST(GuiEventLogFormat, DecodesImageBlockRequestAndStateChanges)
{
    ensureApp();
    const LabLogRow block = frameRow(3'723'456'000'000, 5, 0, 0x03, sim::FrameFate::Delivered, 54);
    EXPECT_EQ(logRowWhat(block), QStringLiteral("OTA Image Block Request · Data · 54 B · Delivered"));
    EXPECT_EQ(formatLogTime(block.timeNs), QStringLiteral("1:02:03.456"));
    EXPECT_EQ(otaCommandTitle(0x02), QStringLiteral("OTA Query Next Image Response"));
    EXPECT_EQ(otaCommandTitle(0x42), QStringLiteral("OTA command 0x42"));
    LabLogRow ack = frameRow(0, 0, 5, 0xFF, sim::FrameFate::Lost, 5);
    ack.macType = 2;
    EXPECT_EQ(logRowWhat(ack), QStringLiteral("Ack · 5 B · Lost"));
    EXPECT_EQ(logRowWhat(stateRow(0, 5, 16, 0, 1)), QStringLiteral("ImageUpgradeStatus: Normal → DownloadInProgress"));
    EXPECT_EQ(logRowWhat(stateRow(0, 5, 17, 1, 2)), QStringLiteral("Campaign: Downloading → Upgraded"));
    const QString addresses[] = {QStringLiteral("0x0000"), QStringLiteral("0x1a2b")};
    EXPECT_EQ(formatLogNode(1, addresses), QStringLiteral("0x1a2b"));
    EXPECT_EQ(formatLogNode(sim::kBroadcastNode, addresses), QStringLiteral("broadcast"));
    EXPECT_EQ(formatLogNode(7, addresses), QStringLiteral("#7"));

    // The same through the model's cells.
    LabHistory history;
    history.reset(2);
    appendRows(history, {frameRow(1'500'000'000, 1, 0, 0x03, sim::FrameFate::Delivered)});
    EventLogModel model;
    model.setAddresses({QStringLiteral("0x0000"), QStringLiteral("0x1a2b")});
    model.setHistory(&history);
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.data(model.index(0, EventLogModel::TimeColumn)).toString(), QStringLiteral("0:00:01.500"));
    EXPECT_EQ(model.data(model.index(0, EventLogModel::KindColumn)).toString(), QStringLiteral("Frame"));
    EXPECT_EQ(model.data(model.index(0, EventLogModel::SourceColumn)).toString(), QStringLiteral("0x1a2b"));
    EXPECT_EQ(model.data(model.index(0, EventLogModel::DestinationColumn)).toString(), QStringLiteral("0x0000"));
    EXPECT_EQ(model.data(model.index(0, EventLogModel::WhatColumn)).toString(),
              QStringLiteral("OTA Image Block Request · Data · 54 B · Delivered"));
}

TEST(GuiEventLogModel, AppendsAndEvictsAtSmallCapacity)
{
    ensureApp();
    LabHistory history(100);
    history.reset(10);
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setHistory(&history);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    appendRows(history, makeRows(0, 60, 10));
    model.sync();
    EXPECT_EQ(model.rowCount(), 60);
    ASSERT_EQ(inserted.count(), 1);
    EXPECT_EQ(inserted[0][1].toInt(), 0);
    EXPECT_EQ(inserted[0][2].toInt(), 59);

    appendRows(history, makeRows(60, 60, 10));  // 120 rows, cap 100: rows 0..19 evicted
    model.sync();
    EXPECT_EQ(model.rowCount(), 100);
    ASSERT_EQ(removed.count(), 1);
    EXPECT_EQ(removed[0][1].toInt(), 0);
    EXPECT_EQ(removed[0][2].toInt(), 19);
    ASSERT_EQ(inserted.count(), 2);
    EXPECT_EQ(inserted[1][1].toInt(), 40);
    EXPECT_EQ(inserted[1][2].toInt(), 99);
    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(model.absoluteRow(0), std::size_t(20));
    EXPECT_EQ(model.logRowAt(0)->timeNs, 20'000'000);
    EXPECT_EQ(model.data(model.index(0, 0)).toString(), QStringLiteral("0:00:00.020"));
    EXPECT_EQ(model.rowOfAbsolute(20), 0);
    EXPECT_EQ(model.rowOfAbsolute(19), -1);
    EXPECT_EQ(model.firstRowAtOrAfter(0.0505), 31);   // row 51 at 51 ms

    // A delta larger than the capacity: everything old goes, the newest 100 stay.
    appendRows(history, makeRows(120, 250, 10));
    model.sync();
    EXPECT_EQ(model.rowCount(), 100);
    EXPECT_EQ(model.absoluteRow(0), std::size_t(270));
    EXPECT_EQ(model.logRowAt(99)->timeNs, 369'000'000);

    // New run: the history shrinks, the model resets.
    history.reset(10);
    model.sync();
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(reset.count(), 1);
}

TEST(GuiEventLogModel, FilteredModelEvictsAndAppendsOnlyMatches)
{
    ensureApp();
    LabHistory history(100);
    history.reset(10);
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setHistory(&history);
    EventLogFilter filter;
    filter.node = 3;
    model.setFilter(filter);
    for (int batch = 0; batch < 7; ++batch) {
        appendRows(history, makeRows(std::size_t(batch) * 40, 40, 10));
        model.sync();
        int expected = 0;
        for (std::size_t i = history.firstLogRow(); i < history.endLogRow(); ++i)
            expected += history.logRow(i).src == 3 || history.logRow(i).dst == 3;
        ASSERT_EQ(model.rowCount(), expected) << batch;
        for (int r = 0; r < model.rowCount(); ++r) {
            const LabLogRow* row = model.logRowAt(r);
            ASSERT_NE(row, nullptr);
            EXPECT_TRUE(row->src == 3 || row->dst == 3);
        }
    }
}

TEST(GuiEventLogModel, FilterByNodeTextKindAndFate)
{
    ensureApp();
    LabHistory history;
    history.reset(50);
    appendRows(history, makeRows(0, 10'000, 50));
    EventLogModel model;
    model.setAddresses([] {
        std::vector<QString> a;
        for (const auto& n : makeTopology(50).nodes)
            a.push_back(n.name);
        return a;
    }());
    model.setHistory(&history);
    ASSERT_EQ(model.rowCount(), 10'000);

    const auto count = [&](auto pred) {
        int n = 0;
        for (std::size_t i = history.firstLogRow(); i < history.endLogRow(); ++i)
            n += pred(history.logRow(i));
        return n;
    };
    EventLogFilter byNode;
    byNode.node = 7;
    model.setFilter(byNode);
    const int node7 = count([](const LabLogRow& r) { return r.src == 7 || r.dst == 7; });
    ASSERT_GT(node7, 0);
    EXPECT_EQ(model.rowCount(), node7);
    for (int r = 0; r < model.rowCount(); ++r)
        ASSERT_TRUE(model.logRowAt(r)->src == 7 || model.logRowAt(r)->dst == 7);

    EventLogFilter byAddress;
    byAddress.text = QStringLiteral("0x1a07");  // node 7's address, any case
    model.setFilter(byAddress);
    EXPECT_EQ(model.rowCount(), node7);

    EventLogFilter byCommand;
    byCommand.text = QStringLiteral("block req");
    model.setFilter(byCommand);
    EXPECT_EQ(model.rowCount(), count([](const LabLogRow& r) { return r.kind == LabLogRow::Kind::Frame && r.zclCommand == 0x03; }));

    EventLogFilter lostOnly;
    lostOnly.fates = std::uint8_t(1u << unsigned(sim::FrameFate::Lost));
    lostOnly.stateChanges = false;
    model.setFilter(lostOnly);
    EXPECT_EQ(model.rowCount(), count([](const LabLogRow& r) {
                  return r.kind == LabLogRow::Kind::Frame && r.fate == std::uint8_t(sim::FrameFate::Lost);
              }));

    EventLogFilter states;
    states.frames = false;
    states.text = QStringLiteral("downloadinprogress");
    model.setFilter(states);
    EXPECT_EQ(model.rowCount(), count([](const LabLogRow& r) { return r.kind == LabLogRow::Kind::StateChange; }));

    model.setFilter({});
    EXPECT_EQ(model.rowCount(), 10'000);
}

TEST(GuiEventLogController, LinksToSelectionBothWays)
{
    ensureApp();
    LabHistory history;
    history.reset(20);
    appendRows(history, makeRows(0, 2000, 20));
    LabSelection selection;
    EventLogController controller(selection);
    controller.setTopology(makeTopology(20));
    controller.setHistory(&history);
    EventLogModel& model = controller.model();
    ASSERT_EQ(model.rowCount(), 2000);

    // Selecting a row selects its source and time; follow mode goes off.
    QSignalSpy scrolls(&controller, &EventLogController::scrollRequested);
    controller.activateRow(1001);  // k = 1001: node → coordinator frame
    EXPECT_EQ(selection.current(), model.logRowAt(1001)->src);
    ASSERT_TRUE(selection.focusTimeS().has_value());
    EXPECT_DOUBLE_EQ(*selection.focusTimeS(), 1.001);
    EXPECT_FALSE(controller.follow());
    EXPECT_EQ(scrolls.count(), 0);  // our own focus change does not scroll

    // A focus time from elsewhere scrolls to the first row at/after it.
    selection.setFocusTime(0.5004);
    ASSERT_EQ(scrolls.count(), 1);
    EXPECT_EQ(scrolls[0][0].toInt(), 501);

    // "Selected device only" follows the selection.
    controller.setSelectedNodeOnly(true);
    selection.setCurrent(4);
    ASSERT_GT(model.rowCount(), 0);
    for (int r = 0; r < model.rowCount(); ++r)
        ASSERT_TRUE(model.logRowAt(r)->src == 4 || model.logRowAt(r)->dst == 4);
    selection.setCurrent(5);
    ASSERT_GT(model.rowCount(), 0);
    EXPECT_TRUE(model.logRowAt(0)->src == 5 || model.logRowAt(0)->dst == 5);
    controller.setSelectedNodeOnly(false);
    EXPECT_EQ(model.rowCount(), 2000);
}

TEST(GuiEventLogPanel, FollowsNewestRowUntilTheUserScrollsUp)
{
    ensureApp();
    LabHistory history;
    history.reset(20);
    LabSession session;
    LabSelection selection;
    EventLogPanel panel(session, selection);
    panel.controller().setTopology(makeTopology(20));
    panel.controller().setHistory(&history);
    panel.resize(900, 400);
    panel.show();
    QTableView& table = panel.table();
    ASSERT_TRUE(panel.controller().follow());
    appendRows(history, makeRows(0, 5000, 20));
    panel.controller().sync();
    QScrollBar* v = table.verticalScrollBar();
    EXPECT_GT(v->maximum(), 0);
    EXPECT_EQ(v->value(), v->maximum());

    v->setValue(v->maximum() / 2);  // the user scrolls up
    EXPECT_FALSE(panel.controller().follow());
    const int kept = v->value();
    appendRows(history, makeRows(5000, 1000, 20));
    panel.controller().sync();
    EXPECT_EQ(v->value(), kept);

    // Clicking a row selects its device.
    const QModelIndex index = table.indexAt(QPoint(10, 10));
    ASSERT_TRUE(index.isValid());
    table.selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    EXPECT_EQ(selection.current(), panel.controller().model().logRowAt(index.row())->src);

    panel.controller().setFollow(true);
    EXPECT_EQ(v->value(), v->maximum());
}

TEST(GuiEventLogModel, MillionRowsAppendAndFilterPerformance)
{
    ensureApp();
    constexpr std::size_t kRows = 1'000'000, kDelta = 20'000;
    LabHistory history(600'000);  // evicts too
    history.reset(200);
    LabSelection selection;
    EventLogController controller(selection);
    controller.setTopology(makeTopology(200));
    controller.setHistory(&history);
    QTableView table;
    table.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table.verticalHeader()->hide();
    table.setModel(&controller.model());
    table.resize(800, 600);
    table.show();

    std::vector<std::vector<LabLogRow>> deltas;
    for (std::size_t first = 0; first < kRows; first += kDelta)
        deltas.push_back(makeRows(first, kDelta, 200));
    QElapsedTimer timer;
    timer.start();
    qint64 syncNs = 0, worstSyncNs = 0, viewNs = 0, worstViewNs = 0;
    for (auto& rows : deltas) {
        appendRows(history, std::move(rows));
        QElapsedTimer one;
        one.start();
        controller.sync();
        syncNs += one.nsecsElapsed();
        worstSyncNs = std::max(worstSyncNs, one.nsecsElapsed());
        one.restart();
        table.scrollToBottom();
        table.viewport()->repaint();
        viewNs += one.nsecsElapsed();
        worstViewNs = std::max(worstViewNs, one.nsecsElapsed());
    }
    const double total = double(timer.nsecsElapsed()) / 1e6;
    EXPECT_EQ(controller.model().rowCount(), 600'000);
    EXPECT_EQ(controller.model().absoluteRow(0), std::size_t(400'000));

    timer.restart();
    controller.setText(QStringLiteral("0x1a07"));
    const double filterMs = double(timer.nsecsElapsed()) / 1e6;
    const int matches = controller.model().rowCount();
    EXPECT_GT(matches, 0);
    EXPECT_LT(matches, 600'000);
    timer.restart();
    controller.setText({});
    const double unfilterMs = double(timer.nsecsElapsed()) / 1e6;
    std::printf("[eventlog] 1,000,000 rows in %zu deltas of %zu (cap 600,000): %.0f ms total; model sync %.1f ms avg, "
                "%.1f ms worst; view scroll+paint %.1f ms avg, %.1f ms worst; text filter over 600,000 rows "
                "%.1f ms (%d matches), clear %.1f ms\n",
                deltas.size(), kDelta, total, double(syncNs) / 1e6 / double(deltas.size()), double(worstSyncNs) / 1e6,
                double(viewNs) / 1e6 / double(deltas.size()), double(worstViewNs) / 1e6, filterMs, matches, unfilterMs);
}

TEST(GuiEventLogPanel, Screenshot)
{
    ensureApp();
    LabHistory history;
    history.reset(40);
    std::vector<LabLogRow> rows;
    std::int64_t t = 1'200'000'000'000;
    for (int k = 0; k < 400; ++k) {
        const auto node = sim::NodeId(1 + k % 39);
        t += 7'000'000 + (k % 7) * 1'300'000;
        switch (k % 8) {
        case 0: rows.push_back(stateRow(t, node, 16, 0, 1)); break;
        case 1: rows.push_back(frameRow(t, node, 0, 0x03, sim::FrameFate::Transmitted, 56)); break;
        case 2: rows.push_back(frameRow(t, node, 0, 0x03, sim::FrameFate::Delivered, 56)); break;
        case 3: rows.push_back(frameRow(t, 0, node, 0x05, sim::FrameFate::Transmitted, 118)); break;
        case 4: rows.push_back(frameRow(t, 0, node, 0x05, k % 3 ? sim::FrameFate::Delivered : sim::FrameFate::Lost, 118)); break;
        case 5: {
            LabLogRow ack = frameRow(t, node, 0, 0xFF, sim::FrameFate::Delivered, 5);
            ack.macType = 2;
            rows.push_back(ack);
            break;
        }
        case 6: rows.push_back(frameRow(t, node, 0, 0x06, sim::FrameFate::Collided, 60)); break;
        case 7: rows.push_back(stateRow(t, node, 17, 1, 2)); break;
        }
    }
    appendRows(history, std::move(rows));
    LabSession session;
    LabSelection selection;
    EventLogPanel panel(session, selection);
    panel.controller().setTopology(makeTopology(40));
    panel.controller().setHistory(&history);
    panel.resize(1000, 420);
    panel.show();
    panel.controller().setFollow(false);
    panel.table().selectRow(12);
    panel.grab().save(QStringLiteral("/tmp/eventlog.png"));
    EXPECT_EQ(selection.current(), panel.controller().model().logRowAt(12)->src);
}

} // namespace
} // namespace otalab::app
