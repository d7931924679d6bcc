// SPDX-License-Identifier: Apache-2.0
// Every chart's texts whole in the lab window at laptop (1366 × 768 screen) and desktop
// (1920 × 1080) sizes, after a Zigbee and an SMP run: no title, axis title or tick label
// elided, none outside the chart view. Each chart is brought forward in its tab first.
#include "app/gui/charts/chartspanel.h"
#include "app/gui/charts/chartsview.h"
#include "app/gui/mainwindow.h"
#include "gui_test_support.h"

#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QSettings>
#include <QTabWidget>
#include <QTest>

using otalab::app::LabSession;
using otalab::app::MainWindow;

namespace {

struct Case {
    QSize window;
    const char* scenario;
};

QString textOf(const QGraphicsItem* item)
{
    if (const auto* t = dynamic_cast<const QGraphicsTextItem*>(item))
        return t->toPlainText();
    if (const auto* t = dynamic_cast<const QGraphicsSimpleTextItem*>(item))
        return t->text();
    return {};
}

bool isText(const QGraphicsItem* item)
{
    return dynamic_cast<const QGraphicsTextItem*>(item) || dynamic_cast<const QGraphicsSimpleTextItem*>(item);
}

// Every visible text of `chart`: not elided, inside its view's viewport. Returns the texts.
QStringList expectWhole(QChart* chart, const char* what)
{
    QStringList shown;
    const QList<QGraphicsView*> views = chart->scene()->views();
    EXPECT_EQ(views.size(), 1) << what;
    if (views.isEmpty())
        return shown;
    QGraphicsView* view = views.front();
    EXPECT_TRUE(view->isVisible()) << what;
    const QRect viewport = view->viewport()->rect();
    for (QGraphicsItem* item : chart->scene()->items()) {
        if (!isText(item) || !item->isVisible())
            continue;
        const QString text = textOf(item);
        if (text.isEmpty())
            continue;
        shown << text;
        EXPECT_FALSE(text.contains(QChar(0x2026)) || text.contains(QLatin1String("...")))
            << what << ": \"" << text.toStdString() << "\" is elided";
        const QRect onView = view->mapFromScene(item->sceneBoundingRect()).boundingRect();
        EXPECT_TRUE(viewport.contains(onView)) << what << ": \"" << text.toStdString() << "\" at " << onView.x() << ","
                                               << onView.y() << " " << onView.width() << "×" << onView.height()
                                               << " outside the viewport " << viewport.width() << "×" << viewport.height();
    }
    return shown;
}

class GuiChartsFit : public testing::TestWithParam<Case> {};

TEST_P(GuiChartsFit, EveryTitleAxisTitleAndTickLabelIsWhole)
{
    otalab::testing::ensureApp();
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
    MainWindow window;
    window.resize(GetParam().window);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(window.openScenario(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/%1.json").arg(QLatin1String(GetParam().scenario)), true));
    LabSession& session = window.session();
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == LabSession::RunState::Ready; }, 30'000));
    session.setSpeed(0);  // as fast as possible
    session.run();
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == LabSession::RunState::Finished; }, 120'000));
    ASSERT_EQ(window.size(), GetParam().window);

    ASSERT_TRUE(window.showPanel(QStringLiteral("charts")));
    QCoreApplication::processEvents();
    otalab::app::ChartsView* charts = window.chartsPanel()->view();
    window.chartsPanel()->refresh();
    QTabWidget* tabs = charts->tabs();
    ASSERT_EQ(tabs->count(), 4);
    const std::array<QChart*, 4> inTabOrder{charts->progressChart(), charts->cdfChart(), charts->energyChart(),
                                            charts->utilisationChart()};
    const std::array<const char*, 4> names{"progress", "completion", "energy", "utilisation"};
    for (int i = 0; i < 4; ++i) {
        tabs->setCurrentIndex(i);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QChart* chart = inTabOrder[std::size_t(i)];
        const QStringList texts = expectWhole(chart, names[std::size_t(i)]);
        EXPECT_TRUE(texts.contains(chart->title())) << names[std::size_t(i)] << ": " << texts.join(u'|').toStdString();
        // Pictures for people (OTALAB_SHOTS=folder): the whole window with this chart in front.
        if (const QString dir = qEnvironmentVariable("OTALAB_SHOTS"); !dir.isEmpty())
            EXPECT_TRUE(window.grab().save(QStringLiteral("%1/charts-%2-%3x%4-%5.png")
                                               .arg(dir, QLatin1String(GetParam().scenario))
                                               .arg(GetParam().window.width())
                                               .arg(GetParam().window.height())
                                               .arg(QLatin1String(names[std::size_t(i)]))));
        for (const QAbstractAxis* axis : chart->axes())
            EXPECT_TRUE(texts.contains(axis->titleText())) << names[std::size_t(i)] << ": " << axis->titleText().toStdString();
    }

    // The energy chart names devices (every k-th when crowded), each name whole.
    auto* energyX = qobject_cast<QCategoryAxis*>(charts->energyChart()->axes(Qt::Horizontal).front());
    ASSERT_NE(energyX, nullptr);
    EXPECT_FALSE(energyX->categoriesLabels().isEmpty());
    // The completion summary is a note above the chart, whole (word-wrapped).
    EXPECT_TRUE(charts->cdfNote()->text().contains(QStringLiteral(" upgraded"))) << charts->cdfNote()->text().toStdString();
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
}

INSTANTIATE_TEST_SUITE_P(Screens, GuiChartsFit,
                         testing::Values(Case{QSize(1311, 706), "starter"}, Case{QSize(1920, 1080), "starter"},
                                         Case{QSize(1311, 706), "smp-ble-gateway"},
                                         Case{QSize(1920, 1080), "smp-ble-gateway"}),
                         [](const testing::TestParamInfo<Case>& info) {
                             return QStringLiteral("w%1h%2_%3")
                                 .arg(info.param.window.width())
                                 .arg(info.param.window.height())
                                 .arg(QString::fromLatin1(info.param.scenario).remove(u'-'))
                                 .toStdString();
                         });

// 40 boards (the most the chart draws as bars) in a panel-sized view: every k-th name,
// each whole and inside the view.
TEST(GuiChartsFitCrowded, FortyBoardNamesAreThinnedNotElided)
{
    otalab::testing::ensureApp();
    using namespace otalab::app;
    LabTopology t;
    LabSnapshot s;
    t.nodes.resize(41);
    s.nodes.resize(41);
    for (std::size_t i = 1; i < t.nodes.size(); ++i) {
        t.nodes[i].hasClient = true;
        t.nodes[i].name = QStringLiteral("board-%1").arg(i, 4, 10, QLatin1Char('0'));
        s.nodes[i].state = LabNodeState::Upgraded;
        s.nodes[i].updateEnergyJ = 1.0 + 0.01 * double(i);
    }
    s.clients = 40;
    s.timeS = 100;
    s.eventsExecuted = 1;
    ChartsController c;
    c.reset(t);
    c.update(s);
    ChartsView view;
    view.resize(690, 540);  // the Charts panel at 1366 × 768
    view.tabs()->setCurrentIndex(2);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.apply(c);
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    expectWhole(view.energyChart(), "40 boards");
    auto* energyX = qobject_cast<QCategoryAxis*>(view.energyChart()->axes(Qt::Horizontal).front());
    ASSERT_NE(energyX, nullptr);
    const auto named = energyX->categoriesLabels().size();
    EXPECT_GE(named, 5) << "too few devices named";
    EXPECT_LT(named, 40) << "40 names do not fit in 690 px";
}

} // namespace
