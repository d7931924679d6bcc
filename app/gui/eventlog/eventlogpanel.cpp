// SPDX-License-Identifier: Apache-2.0
#include "eventlog/eventlogpanel.h"

#include "eventlog/eventlogcontroller.h"
#include "eventlog/eventlogformat.h"
#include "eventlog/eventlogmodel.h"
#include "lab/labselection.h"
#include "lab/labsession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QScrollBar>
#include <QTableView>
#include <QShowEvent>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace otalab::app {
namespace {

// Runs `f` with `flag` set (restored afterwards).
template<typename F>
void guarded(bool& flag, F&& f)
{
    const bool was = flag;
    flag = true;
    f();
    flag = was;
}

} // namespace

EventLogPanel::EventLogPanel(LabSession& session, LabSelection& selection, QWidget* parent)
    : QWidget(parent), m_session(session), m_controller(new EventLogController(selection, this))
{
    m_table = new QTableView(this);
    m_table->setModel(&m_controller->model());
    replaceRowHeader();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics fm(m_table->font());
    m_table->setColumnWidth(EventLogModel::TimeColumn, fm.horizontalAdvance(QStringLiteral("00:00:00.000")) + 28);
    m_table->setColumnWidth(EventLogModel::KindColumn, fm.horizontalAdvance(QStringLiteral("Frame")) + 24);
    m_table->setColumnWidth(EventLogModel::SourceColumn, fm.horizontalAdvance(QStringLiteral("Destination")) + 16);
    m_table->setColumnWidth(EventLogModel::DestinationColumn, fm.horizontalAdvance(QStringLiteral("Destination")) + 16);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setTextElideMode(Qt::ElideRight);

    m_textDelay = new QTimer(this);
    m_textDelay->setSingleShot(true);
    m_textDelay->setInterval(250);
    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    // The log is read, not watched: 4 syncs a second keep it live without costing the
    // GUI thread a large model insert and table relayout 30 times a second.
    m_refresh->setInterval(250);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(buildFilterBar());
    layout->addWidget(m_table, 1);

    connect(&m_session, &LabSession::topologyChanged, this, &EventLogPanel::onTopologyChanged);
    connect(&m_session, &LabSession::snapshotPublished, m_refresh, [this] {
        if (!m_refresh->isActive())
            m_refresh->start();
    });
    connect(m_refresh, &QTimer::timeout, this, [this] {
        if (!isVisible()) {  // a hidden tab: catch up in showEvent()
            m_behind = true;
            return;
        }
        m_behind = false;
        m_controller->sync();
        updateCount();
    });
    connect(m_controller, &EventLogController::scrollRequested, this, &EventLogPanel::onScrollRequested);
    connect(m_controller, &EventLogController::filterChanged, this, &EventLogPanel::onFilterChanged);
    connect(m_controller, &EventLogController::followChanged, this, [this](bool on) {
        const QSignalBlocker block(m_follow);
        m_follow->setChecked(on);
    });
    connect(&m_controller->model(), &EventLogModel::frontRowsEvicted, this, [this](int count) {
        if (m_controller->follow())
            return;
        guarded(m_programmatic, [&] {
            QScrollBar* v = m_table->verticalScrollBar();
            v->setValue(std::max(0, v->value() - count));
        });
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentRowChanged(current.row()); });
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, &EventLogPanel::onUserScrolled);
    const EventLogModel* model = &m_controller->model();
    connect(model, &QAbstractItemModel::modelReset, this, &EventLogPanel::updateCount);
    connect(model, &QAbstractItemModel::rowsInserted, this, &EventLogPanel::updateCount);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &EventLogPanel::updateCount);
    onTopologyChanged();
}

EventLogPanel::~EventLogPanel() = default;

QWidget* EventLogPanel::buildFilterBar()
{
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(4, 2, 4, 0);

    m_text = new QLineEdit(bar);
    m_text->setPlaceholderText(tr("Filter: address (0x1a2b), command, fate, state…"));
    m_text->setClearButtonEnabled(true);
    connect(m_text, &QLineEdit::textChanged, m_textDelay, qOverload<>(&QTimer::start));
    connect(m_textDelay, &QTimer::timeout, this, [this] { m_controller->setText(m_text->text()); });

    m_kind = new QComboBox(bar);
    m_kind->addItems({tr("Frames and states"), tr("Frames"), tr("State changes")});
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_controller->setShowFrames(i != 2);
        m_controller->setShowStateChanges(i != 1);
    });

    m_fates = new QToolButton(bar);
    m_fates->setText(tr("Fates"));
    m_fates->setToolTip(tr("Which frame fates to show"));
    m_fates->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_fates);
    for (std::uint8_t fate = 0; fate < 5; ++fate) {
        QAction* action = menu->addAction(frameFateName(fate));
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this, [this, fate](bool on) { m_controller->setFateShown(fate, on); });
    }
    m_fates->setMenu(menu);

    m_selectedOnly = new QCheckBox(tr("Selected device only"), bar);
    connect(m_selectedOnly, &QCheckBox::toggled, m_controller, &EventLogController::setSelectedNodeOnly);
    m_follow = new QCheckBox(tr("Follow"), bar);
    m_follow->setToolTip(tr("Keep the newest row in view (off when you scroll up)"));
    m_follow->setChecked(m_controller->follow());
    connect(m_follow, &QCheckBox::toggled, m_controller, &EventLogController::setFollow);

    m_count = new QLabel(bar);
    row->addWidget(m_text, 1);
    row->addWidget(m_kind);
    row->addWidget(m_fates);
    row->addWidget(m_selectedOnly);
    row->addWidget(m_follow);
    row->addWidget(m_count);
    return bar;
}

void EventLogPanel::replaceRowHeader()
{
    // QTableView deletes the header it replaces.
    auto* header = new QHeaderView(Qt::Vertical, m_table);
    header->hide();
    header->setSectionResizeMode(QHeaderView::Fixed);
    header->setDefaultSectionSize(m_table->fontMetrics().height() + 4);
    m_table->setVerticalHeader(header);
}

void EventLogPanel::onTopologyChanged()
{
    m_controller->setHistory(nullptr);
    // The row header keeps one section record per row it ever had (32 MB for the
    // two million rows of a long run), also once the model is empty: a new one per run.
    replaceRowHeader();
    m_controller->setTopology(m_session.topology());
    m_controller->setHistory(&m_session.history());
    updateCount();
}

void EventLogPanel::onScrollRequested(int row)
{
    guarded(m_programmatic, [&] {
        if (m_controller->follow()) {
            m_table->scrollToBottom();
            return;
        }
        const QModelIndex index = m_controller->model().index(row, 0);
        m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
        m_table->scrollTo(index, QAbstractItemView::PositionAtTop);
    });
}

void EventLogPanel::onFilterChanged()
{
    updateCount();
    const auto active = m_controller->activeAbsoluteRow();
    const int row = active ? m_controller->model().rowOfAbsolute(*active) : -1;
    guarded(m_programmatic, [&] {
        if (row >= 0) {
            const QModelIndex index = m_controller->model().index(row, 0);
            m_table->selectionModel()->setCurrentIndex(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            if (!m_controller->follow())
                m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
        }
        if (m_controller->follow())
            m_table->scrollToBottom();
    });
}

void EventLogPanel::onCurrentRowChanged(int row)
{
    if (m_programmatic || row < 0)
        return;
    m_controller->activateRow(row);
}

void EventLogPanel::onUserScrolled(int value)
{
    if (m_programmatic)
        return;
    const QScrollBar* v = m_table->verticalScrollBar();
    if (v->maximum() > 0)
        m_controller->setFollow(value >= v->maximum());
}

void EventLogPanel::updateCount()
{
    const EventLogModel& model = m_controller->model();
    const QLocale locale;
    m_count->setText(tr("%1 of %2 rows").arg(locale.toString(model.rowCount()), locale.toString(qulonglong(model.historyRows()))));
}

void EventLogPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_behind) {
        m_behind = false;
        m_controller->sync();
        updateCount();
    }
}

} // namespace otalab::app
