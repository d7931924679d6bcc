// SPDX-License-Identifier: Apache-2.0
#include "compare/comparepanel.h"

#include "compare/comparecolumns.h"
#include "lab/labselection.h"
#include "lab/labsession.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QMessageBox>
#include <QPushButton>
#include <QResizeEvent>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

namespace otalab::app {

namespace {

// Run A blue, run B orange (the report's downloading / accent colours).
const QColor kSideColor[2] = {QColor(0x3b, 0x75, 0xaf), QColor(0xe0, 0x8a, 0x1e)};

// What the figure names keep before the values' columns are narrowed (fitValueColumns).
constexpr int kFigureWidth = 220;

// Below this width the chart goes above the tables instead of beside them.
constexpr int kSideBySideWidth = 980;

QTableWidget* makeTable(int columns)
{
    auto* table = new QTableWidget(0, columns);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->setWordWrap(false);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    return table;
}

bool askBeforeClearing(QWidget* parent, int count)
{
    const auto answer = QMessageBox::question(
        parent, QStringLiteral("Clear kept runs"),
        count == 1 ? QStringLiteral("Forget the finished run kept for comparison?")
                   : QStringLiteral("Forget the %1 finished runs kept for comparison?").arg(count),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    return answer == QMessageBox::Yes;
}

} // namespace

ComparePanel::ComparePanel(LabSession& session, LabSelection& selection, QWidget* parent)
    : QWidget(parent), m_session(session), m_confirmClear(askBeforeClearing)
{
    Q_UNUSED(selection);
    m_first = new QComboBox;
    m_second = new QComboBox;
    m_first->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_second->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_clear = new QPushButton(QStringLiteral("Clear kept runs"));
    m_clear->setToolTip(QStringLiteral("Forget every finished run kept for comparison (asks first)"));

    auto* top = new QHBoxLayout;
    auto* labelA = new QLabel(QStringLiteral("Run A:"));
    labelA->setStyleSheet(QStringLiteral("color: %1; font-weight: bold").arg(kSideColor[0].name()));
    auto* labelB = new QLabel(QStringLiteral("Run B:"));
    labelB->setStyleSheet(QStringLiteral("color: %1; font-weight: bold").arg(kSideColor[1].name()));
    top->addWidget(labelA);
    top->addWidget(m_first);
    top->addSpacing(12);
    top->addWidget(labelB);
    top->addWidget(m_second);
    top->addStretch();
    top->addWidget(m_clear);

    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setStyleSheet(QStringLiteral("color: palette(mid); font-size: 14px; padding: 24px"));

    m_chart = new QChart;
    m_chart->setTitle(QStringLiteral("Completion time"));
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_x = new QValueAxis;
    m_x->setTitleText(QStringLiteral("virtual time (s)"));
    m_x->setLabelFormat(QStringLiteral("%.4g"));
    m_y = new QValueAxis;
    m_y->setTitleText(QStringLiteral("devices upgraded (%)"));
    m_y->setTitleVisible(false);  // the labels carry the unit: nothing to cut in a low chart
    m_y->setLabelFormat(QStringLiteral("%d %%"));
    m_y->setRange(0, 100);
    m_y->setTickCount(6);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    for (int side = 0; side < 2; ++side) {
        m_lines[side] = new QLineSeries;
        QPen pen(kSideColor[side]);
        pen.setWidthF(2.5);
        if (side == 1)
            pen.setStyle(Qt::DashLine);  // stays visible when B lies exactly on A
        m_lines[side]->setPen(pen);
        m_chart->addSeries(m_lines[side]);
        m_lines[side]->attachAxis(m_x);
        m_lines[side]->attachAxis(m_y);
    }
    auto* chartView = new QChartView(m_chart);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumSize(320, 200);

    m_table = makeTable(4);
    m_table->setMinimumSize(360, 120);
    m_parameters = makeTable(3);
    m_parameters->setHorizontalHeaderLabels({QStringLiteral("Scenario parameter"), QStringLiteral("Run A"), QStringLiteral("Run B")});
    m_parameters->horizontalHeaderItem(1)->setForeground(kSideColor[0]);
    m_parameters->horizontalHeaderItem(2)->setForeground(kSideColor[1]);
    m_parameters->setMinimumSize(360, 70);

    auto* tables = new QSplitter(Qt::Vertical);
    tables->setChildrenCollapsible(false);
    tables->addWidget(m_table);
    tables->addWidget(m_parameters);
    tables->setStretchFactor(0, 3);
    tables->setStretchFactor(1, 1);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(chartView);
    m_splitter->addWidget(tables);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({600, 560});  // proportions; the figures table fits its contents at ~520 px
    m_content = m_splitter;
    // Its height comes from the layout (stretch), not its hint: in the dock's resizable scroll
    // area the wrapped summary line makes the panel height-for-width, and the hint would
    // make it taller than the dock (scrolling the parameter table out of sight).
    m_splitter->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);

    m_differences = new QLabel;
    m_differences->setWordWrap(true);
    m_differences->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_differences);
    layout->addWidget(m_message);
    layout->addWidget(m_content, 1);

    connect(m_first, &QComboBox::currentIndexChanged, this, &ComparePanel::selectionEdited);
    connect(m_second, &QComboBox::currentIndexChanged, this, &ComparePanel::selectionEdited);
    connect(m_clear, &QPushButton::clicked, this, &ComparePanel::requestClear);
    connect(&m_session, &LabSession::keptRunsChanged, this, [this] { setRuns(m_session.keptRuns()); });
    setRuns(m_session.keptRuns());
}

ComparePanel::~ComparePanel() = default;

void ComparePanel::requestClear()
{
    const int count = int(m_session.keptRuns().size());
    if (count == 0)
        return;
    if (m_confirmClear && !m_confirmClear(this, count))
        return;
    m_session.clearKeptRuns();
}

void ComparePanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    const Qt::Orientation wanted = event->size().width() >= kSideBySideWidth ? Qt::Horizontal : Qt::Vertical;
    if (m_splitter->orientation() != wanted) {
        m_splitter->setOrientation(wanted);
        if (wanted == Qt::Vertical)  // a narrow dock: the figures get the larger share of the height
            m_splitter->setSizes({450, 550});
    }
    fitValueColumns(*m_table, kFigureWidth);
}

void ComparePanel::setRuns(std::vector<LabRunRecord> runs)
{
    m_controller.setRuns(std::move(runs));
    m_updatingBoxes = true;
    const QStringList labels = m_controller.labels();
    for (QComboBox* box : {m_first, m_second}) {
        box->clear();
        for (int i = 0; i < labels.size(); ++i)
            box->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(labels[i]));
    }
    m_first->setCurrentIndex(m_controller.first());
    m_second->setCurrentIndex(m_controller.second());
    m_updatingBoxes = false;
    render();
}

void ComparePanel::selectionEdited()
{
    if (m_updatingBoxes)
        return;
    m_controller.select(m_first->currentIndex(), m_second->currentIndex());
    render();
}

void ComparePanel::render()
{
    const bool can = m_controller.canCompare();
    m_message->setText(m_controller.message());
    m_message->setVisible(!can);
    m_content->setVisible(can);
    m_first->setEnabled(can);
    m_second->setEnabled(can);
    m_clear->setEnabled(!m_controller.runs().empty());
    m_differences->setText(m_controller.differenceSummary());
    m_differences->setVisible(can);
    renderParameters();
    if (!can) {
        m_table->setRowCount(0);
        for (QLineSeries* line : m_lines)
            line->clear();
        return;
    }
    const auto& runs = m_controller.runs();
    const QString nameA = runs[std::size_t(m_controller.first())].label;
    const QString nameB = runs[std::size_t(m_controller.second())].label;
    for (int side = 0; side < 2; ++side) {
        m_lines[side]->replace(m_controller.cdfPoints(side));
        m_lines[side]->setName(QStringLiteral("%1: %2 (%3 % upgraded)")
                                   .arg(side == 0 ? QStringLiteral("A") : QStringLiteral("B"), side == 0 ? nameA : nameB)
                                   .arg(m_controller.upgradedPercent(side), 0, 'g', 3));
    }
    m_x->setTickCount(6);
    m_x->setRange(0, m_controller.cdfAxisMax());
    m_x->applyNiceNumbers();
    m_x->setTitleText(QStringLiteral("virtual time since start (%1)").arg(m_controller.cdfUnit().unit));

    const std::vector<CompareRow> rows = m_controller.rows();
    // Short headers (the run names are in the combos and the legend), full names as tool tips.
    const QString headers[4] = {QStringLiteral("Figure"), QStringLiteral("Run A"), QStringLiteral("Run B"), QStringLiteral("B − A")};
    const QString tips[4] = {{}, nameA, nameB, QStringLiteral("difference B − A (relative to A)")};
    for (int c = 0; c < 4; ++c) {
        auto* header = new QTableWidgetItem(headers[c]);
        header->setToolTip(tips[c]);
        if (c == 1 || c == 2)
            header->setForeground(kSideColor[c - 1]);
        m_table->setHorizontalHeaderItem(c, header);
    }
    m_table->clearSpans();
    m_table->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r) {
        const CompareRow& row = rows[std::size_t(r)];
        if (row.heading) {  // a fleet's section: its name across the row, bold
            auto* item = new QTableWidgetItem(row.figure);
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
            m_table->setItem(r, 0, item);
            for (int c = 1; c < 4; ++c)
                m_table->setItem(r, c, new QTableWidgetItem);
            m_table->setSpan(r, 0, 1, 4);
            continue;
        }
        // Reasons under "failed" are indented and grey; their full text is the tool tip.
        const QString figure = row.detail ? QStringLiteral("    ") + row.figure : row.figure;
        const QString cells[4] = {figure, row.a, row.b, row.difference};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (row.detail)
                item->setForeground(palette().color(QPalette::PlaceholderText));
            if (c == 0)  // whole, where the column elides it
                item->setToolTip(row.figure);
            if (c == 1 && !row.tipA.isEmpty())
                item->setToolTip(row.tipA);
            if (c == 2 && !row.tipB.isEmpty())
                item->setToolTip(row.tipB);
            if (c == 3 && row.differs) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            m_table->setItem(r, c, item);
        }
    }
    fitValueColumns(*m_table, kFigureWidth);
}

void ComparePanel::renderParameters()
{
    const auto& diffs = m_controller.parameterDifferences();
    const bool show = m_controller.canCompare() && !diffs.empty();
    m_parameters->setVisible(show);
    const int hidden = m_controller.hiddenDifferences();
    m_parameters->setRowCount(show ? int(diffs.size()) + (hidden > 0 ? 1 : 0) : 0);
    if (!show)
        return;
    for (int r = 0; r < int(diffs.size()); ++r) {
        const ParameterDifference& d = diffs[std::size_t(r)];
        const QString cells[3] = {d.path, d.a, d.b};
        for (int c = 0; c < 3; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(d.text());
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_parameters->setItem(r, c, item);
        }
    }
    if (hidden > 0)
        m_parameters->setItem(int(diffs.size()), 0, new QTableWidgetItem(QStringLiteral("… and %1 more").arg(hidden)));
}

} // namespace otalab::app
