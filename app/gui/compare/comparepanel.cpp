// SPDX-License-Identifier: Apache-2.0
#include "compare/comparepanel.h"

#include "lab/labselection.h"
#include "lab/labsession.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

namespace otalab::app {

namespace {

// Run A blue, run B orange (the report's downloading / accent colours).
const QColor kSideColor[2] = {QColor(0x3b, 0x75, 0xaf), QColor(0xe0, 0x8a, 0x1e)};

} // namespace

ComparePanel::ComparePanel(LabSession& session, LabSelection& selection, QWidget* parent)
    : QWidget(parent), m_session(session)
{
    Q_UNUSED(selection);
    m_first = new QComboBox;
    m_second = new QComboBox;
    m_first->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_second->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_clear = new QPushButton(QStringLiteral("Clear kept runs"));
    m_clear->setToolTip(QStringLiteral("Forget every finished run kept for comparison"));

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
    m_y->setLabelFormat(QStringLiteral("%d"));
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
    chartView->setMinimumSize(360, 260);

    m_table = new QTableWidget(0, 4);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->setMinimumWidth(380);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(chartView);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({600, 560});  // proportions; the table fits its contents at ~520 px
    m_content = splitter;

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(m_content, 1);

    connect(m_first, &QComboBox::currentIndexChanged, this, &ComparePanel::selectionEdited);
    connect(m_second, &QComboBox::currentIndexChanged, this, &ComparePanel::selectionEdited);
    connect(m_clear, &QPushButton::clicked, &m_session, &LabSession::clearKeptRuns);
    connect(&m_session, &LabSession::keptRunsChanged, this, [this] { setRuns(m_session.keptRuns()); });
    setRuns(m_session.keptRuns());
}

ComparePanel::~ComparePanel() = default;

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
        m_lines[side]->setName(QStringLiteral("%1: %2").arg(side == 0 ? QStringLiteral("A") : QStringLiteral("B"),
                                                             side == 0 ? nameA : nameB));
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
    m_table->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r) {
        const CompareRow& row = rows[std::size_t(r)];
        const QString cells[4] = {row.figure, row.a, row.b, row.difference};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == 3 && row.differs) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            m_table->setItem(r, c, item);
        }
    }
}

} // namespace otalab::app
