// SPDX-License-Identifier: Apache-2.0
// Charts after a second run: every chart shows one set of titles, axis titles and ticks
// as soon as ChartsView::apply() returns — what a paint or a screenshot sees then is what
// the settled chart shows (no old titles or ticks mixed with the new ones).
#include "charts/chartscontroller.h"
#include "charts/chartsview.h"
#include "gui_test_support.h"

#include <QChart>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QTest>

namespace otalab::app {
namespace {

// A run of `clients` devices whose fleet samples span `samples` × `stepS` seconds.
void feedRun(ChartsController& c, int clients, int samples, double stepS)
{
    LabTopology t;
    t.nodes.resize(std::size_t(clients + 1));
    for (std::size_t i = 1; i < t.nodes.size(); ++i)
        t.nodes[i].hasClient = true;
    c.reset(t);
    LabSnapshot s;
    s.nodes.resize(t.nodes.size());
    s.clients = clients;
    for (int i = 0; i < samples; ++i) {
        sim::FleetSample f;
        f.timeS = stepS * i;
        f.upgraded = std::min(clients, i * clients / samples);
        f.downloading = clients - f.upgraded;
        f.channelUtilisation = 0.3;
        s.samples.push_back(f);
    }
    s.timeS = stepS * samples;
    s.eventsExecuted = 1;
    c.update(s);
}

QStringList visibleTexts(QChart* chart)
{
    QStringList texts;
    for (QGraphicsItem* item : chart->scene()->items())
        if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible())
            texts << text->toPlainText();
    return texts;
}

int countContaining(const QStringList& texts, const QString& part)
{
    return int(std::count_if(texts.begin(), texts.end(), [&](const QString& t) { return t.contains(part); }));
}

TEST(GuiChartsRelayout, AfterASecondRunEachChartHoldsOneSetOfTitlesAndTicksAtOnce)
{
    testing::ensureApp();
    ChartsController controller;
    ChartsView view;
    view.resize(900, 600);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));

    feedRun(controller, 5, 200, 10);      // first run: 5 clients over 33 min
    view.apply(controller);
    QCoreApplication::processEvents();
    ASSERT_GT(countContaining(visibleTexts(view.progressChart()), QStringLiteral("(5 devices)")), 0);

    feedRun(controller, 1000, 200, 300);  // second run: 1000 clients over 17 h
    view.apply(controller);
    const QImage atOnce = view.grab().toImage();  // a paint or screenshot right after apply()
    for (QChart* chart : {view.progressChart(), view.cdfChart(), view.energyChart(), view.utilisationChart()}) {
        const QStringList texts = visibleTexts(chart);
        const std::string shown = texts.join(QStringLiteral(" | ")).toStdString();
        EXPECT_EQ(countContaining(texts, QStringLiteral("(5 devices)")), 0) << shown;
        EXPECT_EQ(countContaining(texts, QStringLiteral("(0 of 5)")), 0) << shown;
        EXPECT_EQ(countContaining(texts, QStringLiteral("virtual time (min)")), 0) << shown;
        EXPECT_LE(countContaining(texts, QStringLiteral("virtual time (h)")), 1) << shown;
    }
    EXPECT_EQ(countContaining(visibleTexts(view.progressChart()), QStringLiteral("Fleet progress (1000 devices)")), 1);
    EXPECT_EQ(countContaining(visibleTexts(view.cdfChart()), QStringLiteral("virtual time (h)")), 1);

    // Grab-render check: once every posted event ran, the picture is the same.
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents();
    const QImage settled = view.grab().toImage();
    EXPECT_TRUE(atOnce == settled) << "the charts changed after apply() returned (stale texts were on show)";

    // A resize lays the charts out again in one go as well.
    view.resize(700, 500);
    QCoreApplication::processEvents();
    const QImage resized = view.grab().toImage();
    QCoreApplication::sendPostedEvents();
    EXPECT_TRUE(resized == view.grab().toImage());
}

} // namespace
} // namespace otalab::app
